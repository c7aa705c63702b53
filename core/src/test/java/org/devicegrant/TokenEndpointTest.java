package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.internal.PollingPolicy;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.TokenIssuanceException;
import org.devicegrant.token.TokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;
import static org.devicegrant.TestGrants.poll;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

/** The token endpoint for the device_code grant, RFC 8628 §3.4–3.5. */
class TokenEndpointTest {

    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final TestGrants t = new TestGrants();
    private final List<DeviceGrantEvent> events = new ArrayList<>();
    private final DeviceGrant grant = t.grant(b -> b.hooks(Hooks.defaults().withListener(events::add)));

    private void approve(TestGrants.Issued issued, String... scopes) {
        DecisionResult r = grant.verification().approve(TENANT, issued.userCode(), "alice", Set.of(scopes), Map.of(),
                t.clock.instant());
        assertThat(r).isInstanceOf(DecisionResult.Recorded.class);
    }

    @Test
    void D26_pendingAuthorizationAnswersAuthorizationPending() {
        TestGrants.Issued issued = authorize(grant, "tv", "openid");
        DeviceGrantResponse response = poll(grant, "tv", issued.deviceCode());
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("authorization_pending");
    }

    @Test
    void D25_approvedAuthorizationAnswersTokensOnce() {
        // RFC 8628 §3.5: approved ⇒ RFC 6749 §5.1 success response
        TestGrants.Issued issued = authorize(grant, "tv", "openid profile");
        approve(issued, "openid", "profile");

        DeviceGrantResponse response = poll(grant, "tv", issued.deviceCode());
        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> body = json(response);
        // O11: access_token and token_type REQUIRED, expires_in RECOMMENDED
        assertThat(body).containsKeys("access_token", "token_type", "expires_in", "id_token", "scope");
        assertThat(body.get("token_type")).isEqualTo("Bearer");
        assertThat((String) body.get("scope")).contains("openid").contains("profile");
        // O10: tokens are never cached
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.header("Pragma")).hasValue("no-cache");
    }

    @Test
    void D28_deniedAuthorizationAnswersAccessDeniedForEver() {
        // SECURITY-TESTS row 6: deny, then a re-approve is rejected and the poll answers access_denied for ever
        TestGrants.Issued issued = authorize(grant, "tv", null);
        assertThat(grant.verification().deny(TENANT, issued.userCode(), "alice"))
                .isInstanceOf(DecisionResult.Recorded.class);
        assertThat(grant.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.AlreadyUsed.class);

        for (int i = 0; i < 3; i++) {
            t.advance(Duration.ofSeconds(400));
            DeviceGrantResponse response = poll(grant, "tv", issued.deviceCode());
            assertThat(error(response)).isEqualTo("access_denied");
            assertThat(response.status()).isEqualTo(400);
        }
    }

    @Test
    void D29_pollAtAndAfterExpiryAnswersExpiredTokenThenInvalidGrantOncePurged() {
        // SECURITY-TESTS row 5: pending and approved codes polled at expires_at, +1 s, +59 s → expired_token;
        // never authorization_pending; invalid_grant once the tombstone is purged
        TestGrants.Issued pending = authorize(grant, "tv", null);
        TestGrants.Issued approved = authorize(grant, "tv", null);
        approve(approved);
        t.advance(Duration.ofSeconds(600));
        for (int delay : new int[] {0, 1, 58}) {
            t.advance(Duration.ofSeconds(delay));
            assertThat(error(poll(grant, "tv", pending.deviceCode()))).isEqualTo("expired_token");
            assertThat(error(poll(grant, "tv", approved.deviceCode()))).isEqualTo("expired_token");
        }
        t.advance(Duration.ofMinutes(20));
        assertThat(grant.purgeExpired(Duration.ofMinutes(10), 100)).isEqualTo(2);
        assertThat(error(poll(grant, "tv", pending.deviceCode()))).isEqualTo("invalid_grant");
    }

    @Test
    void O16_replayAfterSuccessIsInvalidGrantAndReported() {
        // SECURITY-TESTS row 2: poll again at +1 s and at +lifetime + 10 s → invalid_grant both times
        TestGrants.Issued issued = authorize(grant, "tv", null);
        approve(issued);
        assertThat(poll(grant, "tv", issued.deviceCode()).status()).isEqualTo(200);

        t.advance(Duration.ofSeconds(1));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("invalid_grant");
        t.advance(Duration.ofSeconds(610));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("invalid_grant");
        assertThat(events).filteredOn(e -> e.type() == DeviceGrantEvent.Type.REPLAY).hasSize(2);
    }

    @Test
    void D24_codeOfAnotherClientIsInvalidGrantAndRevokesIt() {
        // SECURITY-TESTS row 3 (CVE-2023-2585): client B polls A's approved code → invalid_grant,
        // A's code becomes unusable, one audit event, no tokens for B
        TestGrants.Issued issued = authorize(grant, "tv", null);
        approve(issued);

        DeviceGrantResponse stolen = poll(grant, "other-tv", issued.deviceCode());
        assertThat(error(stolen)).isEqualTo("invalid_grant");
        DeviceGrantResponse confidential = grant.token(form("grant_type", DEVICE_GRANT,
                "device_code", issued.deviceCode(), "client_id", "confidential", "client_secret", "s3cret"));
        assertThat(error(confidential)).isEqualTo("invalid_grant");
        assertThat(events).filteredOn(e -> e.type() == DeviceGrantEvent.Type.WRONG_CLIENT).hasSize(2);

        t.advance(Duration.ofSeconds(5));
        DeviceGrantResponse owner = poll(grant, "tv", issued.deviceCode());
        assertThat(error(owner)).as("fail closed: the leaked code is revoked").isEqualTo("access_denied");
        assertThat(events).noneMatch(e -> e.type() == DeviceGrantEvent.Type.TOKENS_ISSUED);
    }

    @Test
    void unknownCodeAndOtherClientsCodeGetIdenticalBodies() {
        // SECURITY-TESTS row 13: identical error body for unknown and wrong-client codes
        TestGrants.Issued issued = authorize(grant, "tv", null);
        DeviceGrantResponse unknown = poll(grant, "other-tv", "not-a-real-device-code");
        DeviceGrantResponse wrongClient = poll(grant, "other-tv", issued.deviceCode());
        assertThat(wrongClient.status()).isEqualTo(unknown.status());
        assertThat(wrongClient.body()).isEqualTo(unknown.body());
    }

    @Test
    void D27_pollingTooFastAnswersSlowDownAndTheIntervalGrowsForGood() {
        TestGrants.Issued issued = authorize(grant, "tv", null);
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");

        t.advance(Duration.ofSeconds(1));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("slow_down");
        t.advance(Duration.ofSeconds(5)); // obeys the old interval only: now 10 s are required
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("slow_down");
        t.advance(Duration.ofSeconds(15)); // obeys the grown interval (5 + 5 + 5)
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
        t.advance(Duration.ofSeconds(15));
        assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
    }

    @Test
    void clientThatObeysTheIntervalIsNeverSlowedDown() {
        TestGrants.Issued issued = authorize(grant, "tv", null);
        for (int i = 0; i < 50; i++) {
            assertThat(error(poll(grant, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
            t.advance(Duration.ofSeconds(5));
        }
    }

    @Test
    void pollingTooFastAcrossTwoNodesIsSlowDown() {
        // SECURITY-TESTS row 16: polls 1 s apart alternating between two nodes over one store
        DeviceGrant nodeA = grant;
        DeviceGrant nodeB = t.grant(b -> b);
        int slowDowns = 0;
        for (int trial = 0; trial < 1000; trial++) {
            TestGrants.Issued issued = authorize(nodeA, "tv", null);
            assertThat(error(poll(nodeA, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
            t.advance(Duration.ofSeconds(1));
            if ("slow_down".equals(error(poll(nodeB, "tv", issued.deviceCode())))) {
                slowDowns++;
            }
            // finish the trial so that the pending caps never fill up
            assertThat(nodeA.verification().deny(TENANT, issued.userCode(), "alice"))
                    .isInstanceOf(DecisionResult.Recorded.class);
        }
        assertThat(slowDowns).isEqualTo(1000);
    }

    @Test
    void pollThatKeepsLosingTheCompareAndSetIsToldToSlowDownAndChangesNothing() {
        // parallel polls of one code that keep beating this one: the polling policy's race attempts, then slow_down
        DeviceAuthorizationStore store = spy(InMemoryDeviceAuthorizationStore.create());
        TestGrants raced = new TestGrants(store, new InMemoryAttemptLimiter());
        DeviceGrant g = raced.grant();
        TestGrants.Issued issued = authorize(g, "tv", null);
        assertThat(error(poll(g, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
        raced.advance(Duration.ofSeconds(5));
        doReturn(false).when(store).replace(anyLong(), any());
        clearInvocations(store);

        DeviceGrantResponse response = poll(g, "tv", issued.deviceCode());

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("slow_down");
        assertThat((String) json(response).get("error_description")).isEqualTo("Poll no more often than the interval allows");
        verify(store, times(PollingPolicy.DEFAULT_RACE_ATTEMPTS)).replace(anyLong(), any());
    }

    @Test
    void D21_O09_missingOrOtherGrantType() {
        assertThat(error(grant.token(form("device_code", "x", "client_id", "tv")))).isEqualTo("invalid_request");
        DeviceGrantResponse other = grant.token(form("grant_type", "authorization_code", "code", "x", "client_id", "tv"));
        assertThat(error(other)).isEqualTo("unsupported_grant_type");
    }

    @Test
    void D22_missingDeviceCodeIsInvalidRequest() {
        assertThat(error(grant.token(form("grant_type", DEVICE_GRANT, "client_id", "tv")))).isEqualTo("invalid_request");
    }

    @Test
    void D23_missingClientIsInvalidClient() {
        DeviceGrantResponse response = grant.token(form("grant_type", DEVICE_GRANT, "device_code", "x"));
        assertThat(error(response)).isEqualTo("invalid_client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"device_code", "client_id", "grant_type"})
    void O07_repeatedTokenParameterIsInvalidRequest(String repeated) {
        // SECURITY-TESTS row 22
        TestGrants.Issued issued = authorize(grant, "tv", null);
        String body = "grant_type=" + DEVICE_GRANT + "&device_code=" + issued.deviceCode() + "&client_id=tv&"
                + repeated + "=" + ("client_id".equals(repeated) ? "tv" : "grant_type".equals(repeated) ? DEVICE_GRANT
                : issued.deviceCode());
        DeviceGrantResponse response = grant.token(DeviceGrantRequest.form(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant_type=%zz", "device_code=%E0%A4%A&client_id=tv", "%"})
    void malformedPercentEscapesAreInvalidRequest(String body) {
        // SECURITY-TESTS row 22: bad %-escapes → invalid_request, never 5xx
        DeviceGrantResponse response = grant.token(DeviceGrantRequest.form(body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void oneMegabyteBodyIsInvalidRequestWithoutParsing() {
        byte[] huge = new byte[1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        DeviceGrantResponse response = grant.token(DeviceGrantRequest.builder().method("POST")
                .header("Content-Type", "application/x-www-form-urlencoded").body(huge).build());
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_request");
    }

    @Test
    void O06_tokenEndpointAcceptsOnlyPost() {
        DeviceGrantResponse response = grant.token(DeviceGrantRequest.builder().method("GET")
                .body("grant_type=x".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status()).isEqualTo(405);
    }

    @Test
    void O14_errorDescriptionsUseOnlyAllowedCharacters() {
        // RFC 6749 §5.2: error_description MUST NOT include characters outside %x20-21 / %x23-5B / %x5D-7E
        TestGrants.Issued issued = authorize(grant, "tv", null);
        List<DeviceGrantResponse> errors = List.of(
                poll(grant, "tv", issued.deviceCode()),
                grant.token(form("grant_type", DEVICE_GRANT, "client_id", "tv")),
                grant.token(DeviceGrantRequest.form("\u00e9\"\\=1&\u00e9\"\\=2")),
                grant.deviceAuthorization(form("client_id", "tv", "scope", "nope")));
        for (DeviceGrantResponse r : errors) {
            String description = (String) json(r).get("error_description");
            assertThat(description).isNotBlank();
            assertThat(description.chars()).allMatch(c -> c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B)
                    || (c >= 0x5D && c <= 0x7E));
        }
    }

    @Test
    void issuerFailureIsServerErrorWithoutStackTraceAndTheCodeStaysRedeemable() {
        // SECURITY-TESTS row 25: never "consumed but no tokens and not retryable"
        TokenIssuer issuer = mock(TokenIssuer.class);
        when(issuer.issue(any())).thenThrow(new TokenIssuanceException("signing service down"))
                .thenAnswer(call -> t.jwtIssuer.issue(call.getArgument(0)));
        DeviceGrant flaky = t.grant(b -> b, issuer);
        TestGrants.Issued issued = authorize(flaky, "tv", null);
        assertThat(flaky.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);

        DeviceGrantResponse failed = poll(flaky, "tv", issued.deviceCode());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(error(failed)).isEqualTo("server_error");
        assertThat(failed.body()).doesNotContain("signing service").doesNotContain("Exception").doesNotContain("at org.");

        t.advance(Duration.ofSeconds(5));
        assertThat(poll(flaky, "tv", issued.deviceCode()).status()).isEqualTo(200);
        t.advance(Duration.ofSeconds(5));
        assertThat(error(poll(flaky, "tv", issued.deviceCode()))).isEqualTo("invalid_grant");
        verify(issuer, times(2)).issue(any());
    }

    @ParameterizedTest(name = "issuer says {0}: token_type {1}")
    @CsvSource({"DPoP, DPoP", "Bearer, Bearer", "dpop, DPoP"})
    void tokensWhenTheIssuerSaysATokenTypeThenThatTokenType(String issuedType, String written) {
        // RFC 6749 §5.1: token_type REQUIRED; RFC 9449 §5: a DPoP-bound access token is of type DPoP
        DeviceGrant typed = t.grant(b -> b, request -> ofType(t.jwtIssuer.issue(request), issuedType));
        TestGrants.Issued issued = authorize(typed, "tv", null);
        approve(typed, issued);

        DeviceGrantResponse response = poll(typed, "tv", issued.deviceCode());

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("token_type")).isEqualTo(written);
    }

    @Test
    void issuerReturningATokenTypeThisServerCannotSendIsServerErrorAndTheCodeStaysRedeemable() {
        TokenIssuer issuer = mock(TokenIssuer.class);
        when(issuer.issue(any())).thenAnswer(call -> ofType(t.jwtIssuer.issue(call.getArgument(0)), "mac"))
                .thenAnswer(call -> t.jwtIssuer.issue(call.getArgument(0)));
        DeviceGrant odd = t.grant(b -> b, issuer);
        TestGrants.Issued issued = authorize(odd, "tv", null);
        approve(odd, issued);

        DeviceGrantResponse failed = poll(odd, "tv", issued.deviceCode());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("access_token");

        t.advance(Duration.ofSeconds(5));
        DeviceGrantResponse retried = poll(odd, "tv", issued.deviceCode());
        assertThat(retried.status()).isEqualTo(200);
        assertThat(json(retried).get("token_type")).isEqualTo("Bearer");
    }

    @Test
    void pollsTellTheListenerWhatHappenedInOrder() {
        DeviceGrantListener listener = mock(DeviceGrantListener.class);
        DeviceGrant observed = t.grant(b -> b.hooks(Hooks.defaults().withListener(listener)));
        TestGrants.Issued issued = authorize(observed, "tv", null);
        Instant issuedAt = t.clock.instant();
        poll(observed, "tv", issued.deviceCode());
        t.advance(Duration.ofSeconds(1));
        Instant tooEarly = t.clock.instant();
        poll(observed, "tv", issued.deviceCode());
        poll(observed, "tv", "not-a-real-device-code");
        String id = ((DecisionResult.Recorded) observed.verification()
                .approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null)).authorizationId();
        t.advance(Duration.ofSeconds(10));
        Instant redeemed = t.clock.instant();
        poll(observed, "tv", issued.deviceCode());
        t.advance(Duration.ofSeconds(10));
        poll(observed, "tv", issued.deviceCode());

        InOrder inOrder = inOrder(listener);
        inOrder.verify(listener).onEvent(event(DeviceGrantEvent.Type.ISSUED, id, issuedAt, ""));
        inOrder.verify(listener).onEvent(event(DeviceGrantEvent.Type.POLLED, id, issuedAt, ""));
        inOrder.verify(listener).onEvent(event(DeviceGrantEvent.Type.SLOW_DOWN, id, tooEarly, "interval now 10 s"));
        inOrder.verify(listener).onEvent(event(DeviceGrantEvent.Type.APPROVED, id, tooEarly, ""));
        inOrder.verify(listener).onEvent(event(DeviceGrantEvent.Type.TOKENS_ISSUED, id, redeemed, ""));
        inOrder.verify(listener).onEvent(event(DeviceGrantEvent.Type.REPLAY, id, redeemed.plusSeconds(10),
                "consumed device code presented again"));
        verifyNoMoreInteractions(listener);
    }

    @Test
    void failingListenerNeverChangesTheAnswer() {
        DeviceGrantListener listener = mock(DeviceGrantListener.class);
        doThrow(new IllegalStateException("audit log down")).when(listener).onEvent(any());
        DeviceGrant observed = t.grant(b -> b.hooks(Hooks.defaults().withListener(listener)));
        TestGrants.Issued issued = authorize(observed, "tv", null);
        assertThat(error(poll(observed, "tv", issued.deviceCode()))).isEqualTo("authorization_pending");
        approve(observed, issued);
        t.advance(Duration.ofSeconds(5));

        assertThat(poll(observed, "tv", issued.deviceCode()).status()).isEqualTo(200);
        verify(listener, times(4)).onEvent(any());
    }

    private static DeviceGrantEvent event(DeviceGrantEvent.Type type, String id, Instant at, String detail) {
        return new DeviceGrantEvent(type, TENANT, id, "tv", at, detail);
    }

    private static IssuedTokens ofType(IssuedTokens tokens, String tokenType) {
        return new IssuedTokens(tokens.accessToken(), tokenType, tokens.expiresIn(), tokens.refreshToken(),
                tokens.idToken(), tokens.scope());
    }

    private void approve(DeviceGrant g, TestGrants.Issued issued) {
        assertThat(g.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null))
                .isInstanceOf(DecisionResult.Recorded.class);
    }

    @Test
    void disabledGrantForClientIsUnauthorizedClient() {
        DeviceGrantResponse response = grant.token(form("grant_type", DEVICE_GRANT, "device_code", "x",
                "client_id", "web-only"));
        assertThat(error(response)).isEqualTo("unauthorized_client");
    }
}
