package org.devicegrant.examples;

import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DemoAccountsTest {

    private static final String HERE = "ip:192.0.2.1";
    private static final String ELSEWHERE = "ip:198.51.100.7";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final DemoAccounts accounts = DemoAccounts.standard(clock, new SecureRandom(), DemoHttp.PASSWORD_ITERATIONS);

    @Test
    void authenticateWhenUsernameAndPasswordMatchThenAccount() {
        assertThat(accounts.authenticate("alice", "alice")).hasValueSatisfying(a -> {
            assertThat(a.username()).isEqualTo("alice");
            assertThat(a.email()).isEqualTo("alice@example.com");
        });
        assertThat(accounts.authenticate("bob", "bob")).isPresent();
    }

    @Test
    void authenticateWhenPasswordWrongOrEmptyOrUserUnknownOrNullThenEmpty() {
        assertThat(accounts.authenticate("alice", "bob")).isEmpty();
        assertThat(accounts.authenticate("alice", "Alice")).isEmpty();
        assertThat(accounts.authenticate("alice", "")).isEmpty();
        assertThat(accounts.authenticate("mallory", "mallory")).isEmpty();
        assertThat(accounts.authenticate(null, "alice")).isEmpty();
        assertThat(accounts.authenticate("alice", null)).isEmpty();
    }

    // ---- how passwords are stored ----

    @Test
    @DisplayName("The standard accounts' passwords are PBKDF2-HMAC-SHA256 with the documented iterations and a random"
            + " 16-byte salt each")
    void storedHashWhenStandardAccountsThenPbkdf2WithTheDocumentedIterationsAndARandomSaltEach() throws Exception {
        DemoAccounts standard = DemoAccounts.standard(clock, new SecureRandom());
        DemoAccounts.PasswordHash alice = standard.storedHash("alice").orElseThrow();
        DemoAccounts.PasswordHash bob = standard.storedHash("bob").orElseThrow();

        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                "alice".toCharArray(), alice.salt(), DemoAccounts.PBKDF2_ITERATIONS, 256)).getEncoded();

        assertThat(DemoAccounts.PBKDF2_ITERATIONS).isGreaterThanOrEqualTo(600_000);
        assertThat(alice.hash()).isEqualTo(expected);
        assertThat(alice.salt()).hasSize(16).isNotEqualTo(bob.salt());
        assertThat(alice.hash()).isNotEqualTo(
                MessageDigest.getInstance("SHA-256").digest("alice".getBytes(StandardCharsets.UTF_8)));
        assertThat(accounts.storedHash("alice").orElseThrow().salt()).isNotEqualTo(alice.salt());
        assertThat(standard.storedHash("mallory")).isEmpty();
    }

    @Test
    @DisplayName("An unknown username costs the same PBKDF2 work as a known one, right or wrong")
    void authenticateWhenUsernameUnknownThenSameWorkAsAKnownOne() {
        long before = accounts.iterationsSpent();
        accounts.authenticate("mallory", "mallory");
        long unknown = accounts.iterationsSpent() - before;
        accounts.authenticate("alice", "wrong");
        long wrong = accounts.iterationsSpent() - before - unknown;
        accounts.authenticate("alice", "alice");
        long right = accounts.iterationsSpent() - before - unknown - wrong;

        assertThat(unknown).isEqualTo(DemoHttp.PASSWORD_ITERATIONS).isEqualTo(wrong).isEqualTo(right);
    }

    // ---- sign-in budgets ----

    @Test
    @DisplayName("5 wrong passwords for alice from one address: that address is refused for alice, even the right"
            + " password, unchecked; alice elsewhere and bob at that address sign in; after the lockout, alice too")
    void signInWhenFiveWrongPasswordsFromAnAddressThenOnlyThatAddressIsRefusedForThatAccount() {
        for (int i = 0; i < 5; i++) {
            assertThat(accounts.signIn("alice", "guess-" + i, HERE)).isInstanceOf(DemoAccounts.WrongCredentials.class);
        }
        long spent = accounts.iterationsSpent();

        DemoAccounts.SignIn refused = accounts.signIn("alice", "alice", HERE);

        assertThat(refused).isEqualTo(new DemoAccounts.Throttled(Duration.ofSeconds(60)));
        assertThat(accounts.iterationsSpent()).isEqualTo(spent);
        assertThat(accounts.signIn("alice", "alice", ELSEWHERE)).isInstanceOf(DemoAccounts.SignedIn.class);
        assertThat(accounts.signIn("bob", "bob", HERE)).isInstanceOf(DemoAccounts.SignedIn.class);
        clock.advance(Duration.ofSeconds(59));
        assertThat(accounts.signIn("alice", "alice", HERE)).isInstanceOf(DemoAccounts.Throttled.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(accounts.signIn("alice", "alice", HERE)).isEqualTo(
                new DemoAccounts.SignedIn(accounts.find("alice").orElseThrow()));
    }

    @Test
    @DisplayName("An unknown username is charged like a known one: 5 failures, then refused")
    void signInWhenUsernameUnknownThenChargedLikeAKnownOne() {
        for (int i = 0; i < 5; i++) {
            assertThat(accounts.signIn("mallory", "guess-" + i, HERE)).isInstanceOf(DemoAccounts.WrongCredentials.class);
        }

        assertThat(accounts.signIn("mallory", "guess-5", HERE)).isInstanceOf(DemoAccounts.Throttled.class);
    }

    @Test
    @DisplayName("30 failures a minute across usernames from one address: that address is refused any username;"
            + " another address is not")
    void signInWhenThirtyFailuresAcrossUsernamesFromAnAddressThenThatAddressIsRefusedEveryUsername() {
        for (int i = 0; i < 30; i++) {
            assertThat(accounts.signIn("user" + i, "guess", HERE)).isInstanceOf(DemoAccounts.WrongCredentials.class);
        }

        assertThat(accounts.signIn("bob", "bob", HERE)).isInstanceOf(DemoAccounts.Throttled.class);
        assertThat(accounts.signIn("bob", "bob", ELSEWHERE)).isInstanceOf(DemoAccounts.SignedIn.class);
    }

    @Test
    void signInWhenUsernameOrPasswordMissingThenWrongCredentials() {
        assertThat(accounts.signIn(null, "alice", HERE)).isInstanceOf(DemoAccounts.WrongCredentials.class);
        assertThat(accounts.signIn("alice", null, HERE)).isInstanceOf(DemoAccounts.WrongCredentials.class);
    }

    // ---- the accounts ----

    @Test
    void usernamesWhenListedThenAliceBobAndCarol() {
        assertThat(accounts.usernames()).containsExactly("alice", "bob", "carol");
        assertThat(accounts.find("bob")).isPresent();
        assertThat(accounts.find("mallory")).isEmpty();
    }

    @Test
    void mayReceiveTokensWhenCarolThenLockedFromTheStartButCanStillSignIn() {
        assertThat(accounts.isLocked("carol")).isTrue();
        assertThat(accounts.mayReceiveTokens("carol")).isFalse();
        assertThat(accounts.authenticate("carol", "carol")).isPresent();
        assertThat(accounts.mayReceiveTokens("alice")).isTrue();
    }

    @Test
    void lockWhenAccountLockedThenNoTokensAndWhenUnknownThenRejected() {
        accounts.lock("alice");

        assertThat(accounts.mayReceiveTokens("alice")).isFalse();
        assertThat(accounts.mayReceiveTokens("bob")).isTrue();
        assertThat(accounts.mayReceiveTokens("mallory")).isFalse();
        assertThat(accounts.mayReceiveTokens(null)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> accounts.lock("mallory"))
                .withMessage("no demo account mallory");
    }
}
