package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAccountsTest {

    private final DemoAccounts accounts = DemoAccounts.standard();

    @Test
    void authenticateWhenUsernameAndPasswordMatchThenAccount() {
        assertThat(accounts.authenticate("alice", "alice")).hasValueSatisfying(a -> {
            assertThat(a.username()).isEqualTo("alice");
            assertThat(a.email()).isEqualTo("alice@example.com");
        });
        assertThat(accounts.authenticate("bob", "bob")).isPresent();
    }

    @Test
    void authenticateWhenPasswordWrongOrUserUnknownOrNullThenEmpty() {
        assertThat(accounts.authenticate("alice", "bob")).isEmpty();
        assertThat(accounts.authenticate("alice", "Alice")).isEmpty();
        assertThat(accounts.authenticate("mallory", "mallory")).isEmpty();
        assertThat(accounts.authenticate(null, "alice")).isEmpty();
        assertThat(accounts.authenticate("alice", null)).isEmpty();
    }

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
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> accounts.lock("mallory")).withMessage("no demo account mallory");
    }
}
