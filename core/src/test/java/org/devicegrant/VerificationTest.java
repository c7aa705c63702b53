package org.devicegrant;

import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.poll;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/** The verification API the host's pages call, RFC 8628 §3.3, §5.1, §5.4. */
class VerificationTest {

    private final DeviceAuthorizationStore store = spy(InMemoryDeviceAuthorizationStore.create());
    private final AttemptLimiter limiter = spy(new InMemoryAttemptLimiter());
    private final TestGrants t = new TestGrants(store, limiter);
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
        clearInvocations(store);
        for (int i = 0; i < 3; i++) {
            assertThat(verification.lookup(TENANT, issued.userCode(), "ip")).isInstanceOf(LookupResult.Pending.class);
        }
        verify(store, never()).replace(anyLong(), any());
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
        clearInvocations(store);
        assertThat(verification.lookup(TENANT, late.userCode(), "ip")).isInstanceOf(LookupResult.Expired.class);
        assertThat(verification.approve(TENANT, late.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Expired.class);
        verify(store, never()).replace(anyLong(), any());
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
        clearInvocations(store);
        LookupResult sixth = verification.lookup(TENANT, issued.userCode(), "203.0.113.9");

        assertThat(sixth).isInstanceOf(LookupResult.RateLimited.class);
        assertThat(((LookupResult.RateLimited) sixth).retryAfter()).isPositive();
        verify(store, never().description("refused attempts never reach the store"))
                .findByUserCodeHash(anyString(), anyString());
        assertThat(verification.lookup(TENANT, issued.userCode(), "198.51.100.1"))
                .as("another source is not affected").isInstanceOf(LookupResult.Pending.class);
    }

    @Test
    void everyLookupAndDecisionAsksTheLimiterBeforeTheStore() {
        // RFC 8628 §5.1: the attempt is charged before its code is evaluated
        TestGrants.Issued issued = authorize(grant, "tv", null);
        clearInvocations(store, limiter);

        verification.lookup(TENANT, issued.userCode(), "203.0.113.9");
        verification.approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null);

        InOrder inOrder = inOrder(limiter, store);
        inOrder.verify(limiter).tryAcquire(eq(TENANT), eq("203.0.113.9"), any());
        inOrder.verify(store).findByUserCodeHash(eq(TENANT), anyString());
        inOrder.verify(limiter).tryAcquire(eq(TENANT), eq("subject:alice"), any());
        inOrder.verify(store).findByUserCodeHash(eq(TENANT), anyString());
        inOrder.verify(store).replace(anyLong(), any());
    }

    @Test
    void lookupsAndDecisionsTellTheListenerInOrder() {
        DeviceGrantListener listener = mock(DeviceGrantListener.class);
        TestGrants other = new TestGrants();
        DeviceGrant observed = other.grant(b -> b.hooks(Hooks.defaults().withListener(listener)));
        Verification v = observed.verification();
        TestGrants.Issued approved = authorize(observed, "tv", null);
        TestGrants.Issued late = authorize(observed, "other-tv", null);
        String lateId = ((LookupResult.Pending) v.lookup(TENANT, late.userCode(), "ip")).authorizationId();
        clearInvocations(listener);
        Instant start = TestGrants.START;

        v.lookup(TENANT, "not a code!", "ip");
        v.lookup(TENANT, "BCDF-GHJK", "ip");
        String id = ((DecisionResult.Recorded) v.approve(TENANT, approved.userCode(), "alice", Set.of(), Map.of(),
                null)).authorizationId();
        v.lookup(TENANT, approved.userCode(), "ip");
        other.advance(Duration.ofMinutes(11));
        v.lookup(TENANT, late.userCode(), "ip");
        v.deny(TENANT, late.userCode(), "alice");
        for (int i = 0; i < 6; i++) {
            v.lookup(TENANT, "BCDF-GHJK", "203.0.113.66");
        }

        Instant expired = start.plus(Duration.ofMinutes(11));
        InOrder inOrder = inOrder(listener);
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.LOOKUP_FAILED, TENANT, null, null,
                start, "malformed user code"));
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.LOOKUP_FAILED, TENANT, null, null,
                start, "unknown user code"));
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.APPROVED, TENANT, id, "tv", start,
                ""));
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.LOOKUP_FAILED, TENANT, id, "tv",
                start, "already used"));
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.EXPIRED, TENANT, lateId,
                "other-tv", expired, "lookup"));
        inOrder.verify(listener).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.EXPIRED, TENANT, lateId,
                "other-tv", expired, "decision"));
        inOrder.verify(listener, times(5)).onEvent(new DeviceGrantEvent(DeviceGrantEvent.Type.LOOKUP_FAILED, TENANT,
                null, null, expired, "unknown user code"));
        inOrder.verify(listener).onEvent(argThat(e -> e.type() == DeviceGrantEvent.Type.LOOKUP_REFUSED
                && e.authorizationId() == null && e.detail().matches("retry after [1-9][0-9]* s")));
        verifyNoMoreInteractions(listener);
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
