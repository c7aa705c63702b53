package org.devicegrant;

import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.poll;

/** The verification API the host's pages call, RFC 8628 §3.3, §5.1, §5.4. */
class VerificationTest {

    private final CountingStore store = new CountingStore(InMemoryDeviceAuthorizationStore.create());
    private final TestGrants t = new TestGrants(store, new InMemoryAttemptLimiter());
    private final DeviceGrant grant = t.grant();
    private final Verification verification = grant.verification();

    @Test
    void D15_D37_lookupOfAPendingCodeReturnsWhatTheConsentScreenShows() {
        TestGrants.Issued issued = authorize(grant, "tv", "openid profile");
        t.advance(Duration.ofSeconds(100));

        LookupResult result = verification.lookup(TENANT, issued.userCode(), "203.0.113.7");

        assertThat(result).isInstanceOf(LookupResult.Pending.class);
        LookupResult.Pending pending = (LookupResult.Pending) result;
        assertThat(pending.clientId()).isEqualTo("tv");
        assertThat(pending.clientName()).isEqualTo("Living-room TV");
        assertThat(pending.requestedScopes()).containsExactlyInAnyOrder("openid", "profile");
        assertThat(pending.userCode()).as("D20: the code to compare with the device").isEqualTo(issued.userCode());
        assertThat(pending.expiresIn()).isEqualTo(Duration.ofSeconds(500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lower", "nodash", "spaces", "dots"})
    void D43_lookupIgnoresCaseAndCharactersOutsideTheCharset(String variant) {
        // RFC 8628 §6.1: ignore characters outside the charset; compare case-insensitively
        TestGrants.Issued issued = authorize(grant, "tv", null);
        String code = issued.userCode();
        String typed = switch (variant) {
            case "lower" -> code.toLowerCase(Locale.ROOT);
            case "nodash" -> code.replace("-", "");
            case "spaces" -> " " + code.replace("-", " ") + " ";
            default -> String.join(".", code.replace("-", "").split(""));
        };
        assertThat(verification.lookup(TENANT, typed, "ip")).isInstanceOf(LookupResult.Pending.class);
    }

    @Test
    void lookupChangesNothing() {
        // SECURITY-TESTS row 18: a GET of verification_uri_complete (a lookup) makes 0 writes
        TestGrants.Issued issued = authorize(grant, "tv", null);
        int writes = store.writes.get();
        for (int i = 0; i < 3; i++) {
            verification.lookup(TENANT, issued.userCode(), "ip");
        }
        assertThat(store.writes.get()).isEqualTo(writes);
    }

    @Test
    void unknownAndMalformedCodesAreNotFound() {
        assertThat(verification.lookup(TENANT, "BCDF-GHJK", "ip")).isInstanceOf(LookupResult.NotFound.class);
        assertThat(verification.lookup(TENANT, "x".repeat(65), "ip")).isInstanceOf(LookupResult.NotFound.class);
        assertThat(verification.lookup(TENANT, "", "ip")).isInstanceOf(LookupResult.NotFound.class);
        assertThat(verification.lookup(TENANT, null, "ip")).isInstanceOf(LookupResult.NotFound.class);
    }

    @Test
    void codeOfAnotherTenantIsNotFound() {
        TestGrants.Issued issued = authorize(grant, "tv", null);
        assertThat(verification.lookup("acme", issued.userCode(), "ip")).isInstanceOf(LookupResult.NotFound.class);
    }

    @Test
    void expiredCodeIsExpiredAndCannotBeApproved() {
        // SECURITY-TESTS row 4: −1 ms accepted, +1 ms rejected with "expired", store unchanged
        TestGrants.Issued early = authorize(grant, "tv", null);
        TestGrants.Issued late = authorize(grant, "tv", null);
        t.advance(Duration.ofSeconds(600).minusMillis(1));
        assertThat(verification.approve(TENANT, early.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
        t.advance(Duration.ofMillis(2));
        int writes = store.writes.get();
        assertThat(verification.lookup(TENANT, late.userCode(), "ip")).isInstanceOf(LookupResult.Expired.class);
        assertThat(verification.approve(TENANT, late.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Expired.class);
        assertThat(store.writes.get()).isEqualTo(writes);
    }

    @Test
    void REQ_UC_6_userCodeWorksOnce() {
        TestGrants.Issued issued = authorize(grant, "tv", null);
        assertThat(verification.approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
        assertThat(verification.lookup(TENANT, issued.userCode(), "ip")).isInstanceOf(LookupResult.AlreadyUsed.class);
        assertThat(verification.approve(TENANT, issued.userCode(), "mallory", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.AlreadyUsed.class);
        assertThat(verification.deny(TENANT, issued.userCode(), "mallory"))
                .isInstanceOf(DecisionResult.AlreadyUsed.class);
    }

    @Test
    void grantingScopesThatWereNotRequestedIsRefusedAndChangesNothing() {
        TestGrants.Issued issued = authorize(grant, "tv", "openid");
        DecisionResult result = verification.approve(TENANT, issued.userCode(), "alice", Set.of("openid", "email"),
                Map.of(), null);
        assertThat(result).isEqualTo(new DecisionResult.ScopesNotRequested(Set.of("email")));
        assertThat(verification.lookup(TENANT, issued.userCode(), "ip")).isInstanceOf(LookupResult.Pending.class);
    }

    @Test
    void approvingNoScopeWorksForARequestWithoutScope() {
        // PEER-BENCH: Spring can never approve a request with no scope
        TestGrants.Issued issued = authorize(grant, "tv", null);
        assertThat(verification.approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
        assertThat(poll(grant, "tv", issued.deviceCode()).status()).isEqualTo(200);
    }

    @Test
    void approveSucceedsWhileTheDeviceKeepsPolling() {
        // a poll between the page's read and its write moves the version; the decision still lands
        TestGrants.Issued issued = authorize(grant, "tv", null);
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
        t.advance(Duration.ofSeconds(5));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
        assertThat(verification.approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
    }

    @Test
    void D33_sixthGuessIsRefusedWithoutLookupEvenWhenCorrect() {
        // SECURITY-TESTS row 9 / REQ-UC-3: failures 1–5 evaluated; the 6th is refused without a store
        // lookup even though it is the right code; a success does not reset the count
        TestGrants.Issued issued = authorize(grant, "tv", null);
        for (int i = 0; i < 5; i++) {
            assertThat(verification.lookup(TENANT, "BCDF-GHJ" + "KLMNP".charAt(i), "203.0.113.9"))
                    .isInstanceOf(LookupResult.NotFound.class);
        }
        int lookups = store.userCodeLookups.get();
        LookupResult sixth = verification.lookup(TENANT, issued.userCode(), "203.0.113.9");

        assertThat(sixth).isInstanceOf(LookupResult.RateLimited.class);
        assertThat(((LookupResult.RateLimited) sixth).retryAfter()).isPositive();
        assertThat(store.userCodeLookups.get()).as("refused attempts never reach the store").isEqualTo(lookups);
        assertThat(verification.lookup(TENANT, issued.userCode(), "198.51.100.1"))
                .as("another source is not affected").isInstanceOf(LookupResult.Pending.class);
    }

    @Test
    void successDoesNotResetEarlierFailures() {
        TestGrants.Issued issued = authorize(grant, "tv", null);
        for (int i = 0; i < 4; i++) {
            verification.lookup(TENANT, "BCDF-GHJ" + "KLMN".charAt(i), "ip");
        }
        assertThat(verification.lookup(TENANT, issued.userCode(), "ip")).isInstanceOf(LookupResult.Pending.class);
        verification.lookup(TENANT, "BCDF-GHJP", "ip");
        assertThat(verification.lookup(TENANT, issued.userCode(), "ip")).isInstanceOf(LookupResult.RateLimited.class);
    }

    @Test
    void failedApprovalsCountAgainstTheSubject() {
        TestGrants.Issued issued = authorize(grant, "tv", null);
        for (int i = 0; i < 5; i++) {
            assertThat(verification.approve(TENANT, "BCDF-GHJ" + "KLMNP".charAt(i), "mallory", Set.of(), Map.of(), null))
                    .isInstanceOf(DecisionResult.NotFound.class);
        }
        assertThat(verification.approve(TENANT, issued.userCode(), "mallory", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.RateLimited.class);
        assertThat(verification.lookup(TENANT, issued.userCode(), "ip")).isInstanceOf(LookupResult.Pending.class);
    }

    @Test
    void rateLimitWearsOffWithTime() {
        TestGrants other = new TestGrants(InMemoryDeviceAuthorizationStore.create(),
                new InMemoryAttemptLimiter(AttemptPolicy.defaults()));
        Verification v = other.grant().verification();
        for (int i = 0; i < 5; i++) {
            assertThat(v.lookup(TENANT, "BCDF-GHJK", "ip")).isInstanceOf(LookupResult.NotFound.class);
        }
        LookupResult.RateLimited limited = (LookupResult.RateLimited) v.lookup(TENANT, "BCDF-GHJK", "ip");
        assertThat(limited.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15));

        other.advance(limited.retryAfter().plusSeconds(1));
        assertThat(v.lookup(TENANT, "BCDF-GHJK", "ip")).isInstanceOf(LookupResult.NotFound.class);
    }

    @Test
    void D16_theLookupResultNeverCarriesTheDeviceCode() {
        // RFC 8628 §3.3: the device_code is not shown to the end user
        TestGrants.Issued issued = authorize(grant, "tv", null);
        LookupResult result = verification.lookup(TENANT, issued.userCode(), "ip");
        assertThat(result.toString()).doesNotContain(issued.deviceCode());
    }
}
