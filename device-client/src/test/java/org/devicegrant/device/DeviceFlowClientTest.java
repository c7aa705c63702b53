package org.devicegrant.device;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.device.ScriptedTransport.json;
import static org.devicegrant.device.ScriptedTransport.oauthError;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceFlowClientTest {

    static final URI DEVICE_ENDPOINT = URI.create("https://as.example/device_authorization");
    static final URI TOKEN_ENDPOINT = URI.create("https://as.example/token");
    static final String DEVICE_CODE = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS";
    static final String USER_CODE = "WDJB-MJHT";
    static final String ACCESS_TOKEN = "at-2YotnFZFEjr1zCsicMWpAA";
    static final String REFRESH_TOKEN = "rt-tGzv3JOkF0XG5Qx2TlKWIA";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final HttpResult PENDING = oauthError("authorization_pending");
    static final HttpResult SLOW_DOWN = oauthError("slow_down");
    static final HttpResult TOKENS = json(200,
            "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final ScriptedTransport transport = new ScriptedTransport(clock);
    final List<String> polls = new ArrayList<>();
    final PollListener listener = (attempt, outcome, nextWait) ->
            polls.add(attempt + ":" + outcome + ":" + nextWait.getSeconds());

    DeviceFlowClient.Builder builder() {
        return DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                .tokenEndpoint(TOKEN_ENDPOINT)
                .clientId("tv-app")
                .transport(transport)
                .clock(clock)
                .sleeper(sleeper);
    }

    DeviceFlowClient client() {
        return builder().build();
    }

    DeviceCodes authorization(long intervalSeconds, long expiresInSeconds) {
        return new DeviceCodes(DEVICE_CODE, USER_CODE, URI.create("https://as.example/device"), null,
                ofSeconds(expiresInSeconds), ofSeconds(intervalSeconds), clock.instant().plusSeconds(expiresInSeconds));
    }

    TokenResult await(DeviceCodes authorization) throws Exception {
        return client().await(authorization, listener, new CancellationToken());
    }

    static String deviceResponse(String extra) {
        return "{\"device_code\":\"" + DEVICE_CODE + "\",\"user_code\":\"" + USER_CODE + "\","
                + "\"verification_uri\":\"https://as.example/device\",\"expires_in\":1800" + extra + "}";
    }

    // ---- start() ----

    @Test
    @DisplayName("D01 D02 D03: a public client POSTs client_id and scope as a form and asks for JSON")
    void startWhenPublicClientThenFormWithClientIdAndScope() throws Exception {
        transport.then(json(200, deviceResponse(",\"interval\":5")));

        builder().scope("openid", "profile").build().start();

        ScriptedTransport.Sent sent = transport.sent().get(0);
        assertThat(sent.uri()).isEqualTo(DEVICE_ENDPOINT);
        assertThat(sent.form()).containsExactlyInAnyOrderEntriesOf(
                Map.of("client_id", "tv-app", "scope", "openid profile"));
        assertThat(sent.headers()).containsEntry("Accept", "application/json")
                .containsEntry("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .doesNotContainKey("Authorization");
    }

    @Test
    @DisplayName("D05 O03: a confidential client uses Basic with form-urlencoded id and secret, no client_id in the body")
    void startWhenClientSecretThenBasicAuthWithFormEncodedCredentials() throws Exception {
        transport.then(json(200, deviceResponse("")));

        DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT).tokenEndpoint(TOKEN_ENDPOINT)
                .clientId("tv app").clientSecret("s3cr:t&+").transport(transport).clock(clock).build().start();

        ScriptedTransport.Sent sent = transport.sent().get(0);
        // RFC 6749 §2.3.1: id and secret are encoded with application/x-www-form-urlencoded,
        // then joined with ':' and base64-encoded.
        String expected = Base64.getEncoder()
                .encodeToString("tv+app:s3cr%3At%26%2B".getBytes(StandardCharsets.UTF_8));
        assertThat(sent.headers()).containsEntry("Authorization", "Basic " + expected);
        assertThat(sent.form()).doesNotContainKey("client_id");
    }

    @Test
    @DisplayName("D07-D12: the answer becomes a DeviceCodes; expiresAt counts from the request")
    void startWhenSuccessThenDeviceAuthorizationFromTheAnswer() throws Exception {
        transport.then(json(200, deviceResponse(",\"interval\":7,"
                + "\"verification_uri_complete\":\"https://as.example/device?user_code=WDJBMJHT\"")));
        Instant sentAt = clock.instant();

        DeviceCodes authorization = client().start();

        assertThat(authorization.deviceCode()).isEqualTo(DEVICE_CODE);
        assertThat(authorization.userCode()).isEqualTo(USER_CODE);
        assertThat(authorization.verificationUri()).isEqualTo(URI.create("https://as.example/device"));
        assertThat(authorization.verificationUriComplete())
                .isEqualTo(URI.create("https://as.example/device?user_code=WDJBMJHT"));
        assertThat(authorization.expiresIn()).isEqualTo(ofSeconds(1800));
        assertThat(authorization.interval()).isEqualTo(ofSeconds(7));
        assertThat(authorization.expiresAt()).isEqualTo(sentAt.plusSeconds(1800));
    }

    @Test
    @DisplayName("D13: without interval the client uses 5 seconds")
    void startWhenIntervalAbsentThenFiveSeconds() throws Exception {
        // RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default."
        transport.then(json(200, deviceResponse("")));

        DeviceCodes authorization = client().start();

        assertThat(authorization.interval()).isEqualTo(ofSeconds(5));
        assertThat(authorization.verificationUriComplete()).isNull();
    }

    @Test
    @DisplayName("D13: a zero interval is no usable interval; the client uses 5 seconds")
    void startWhenIntervalZeroThenFiveSeconds() throws Exception {
        transport.then(json(200, deviceResponse(",\"interval\":0")));

        assertThat(client().start().interval()).isEqualTo(ofSeconds(5));
    }

    @Test
    @DisplayName("D14: an OAuth error of the endpoint becomes an exception with its code and description")
    void startWhenOAuthErrorThenExceptionCarriesCodeAndDescription() {
        transport.then(new HttpResult(401, Map.of("Content-Type", List.of("application/json")),
                "{\"error\":\"invalid_client\",\"error_description\":\"unknown client\"}"));

        assertThatThrownBy(() -> client().start())
                .isInstanceOfSatisfying(DeviceFlowException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_client");
                    assertThat(e.errorDescription()).isEqualTo("unknown client");
                })
                .hasMessageContaining("invalid_client");
    }

    @Test
    void startWhenEndpointUnreachableThenExceptionWithCause() {
        ConnectException refused = new ConnectException("Connection refused");
        transport.thenFail(refused);

        assertThatThrownBy(() -> client().start())
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining(DEVICE_ENDPOINT.toString())
                .hasCause(refused)
                .satisfies(e -> assertThat(((DeviceFlowException) e).error()).isNull());
    }

    @Test
    void startWhenAnswerInvalidThenExceptionWithoutTheBody() {
        transport.then(json(200, "{\"device_code\":\"" + DEVICE_CODE + "\",\"user_code\":\"" + USER_CODE + "\"}"));

        assertThatThrownBy(() -> client().start())
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("HTTP 200")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(DEVICE_CODE).doesNotContain(USER_CODE));
    }

    @Test
    void startWhenErrorStatusWithoutOAuthErrorThenException() {
        transport.then(new HttpResult(502, Map.of("Content-Type", List.of("text/html")), "<html>bad gateway</html>"));

        assertThatThrownBy(() -> client().start())
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("HTTP 502");
    }

    // ---- await() ----

    @Test
    @DisplayName("D21 D22 D23: each poll POSTs the device-code grant with client_id to the token endpoint")
    void awaitWhenPublicClientThenPollsWithDeviceCodeGrantAndClientId() throws Exception {
        transport.then(TOKENS);

        await(authorization(5, 600));

        ScriptedTransport.Sent poll = transport.sent().get(0);
        assertThat(poll.uri()).isEqualTo(TOKEN_ENDPOINT);
        assertThat(poll.form()).containsExactlyInAnyOrderEntriesOf(
                Map.of("grant_type", DEVICE_GRANT, "device_code", DEVICE_CODE, "client_id", "tv-app"));
        assertThat(poll.headers()).containsEntry("Accept", "application/json");
    }

    @Test
    @DisplayName("D24: a confidential client authenticates each poll with Basic")
    void awaitWhenClientSecretThenPollsWithBasicAuth() throws Exception {
        transport.then(TOKENS);

        DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT).tokenEndpoint(TOKEN_ENDPOINT)
                .clientId("tv-app").clientSecret("secret").transport(transport).clock(clock).sleeper(sleeper)
                .build().await(authorization(5, 600), PollListener.none(), new CancellationToken());

        ScriptedTransport.Sent poll = transport.sent().get(0);
        assertThat(poll.headers().get("Authorization")).startsWith("Basic ");
        assertThat(poll.form()).containsEntry("device_code", DEVICE_CODE).doesNotContainKey("client_id");
    }

    @Test
    @DisplayName("D26: the client waits the interval before the first poll and between pending polls")
    void awaitWhenPendingThenWaitsIntervalBeforeEveryPoll() throws Exception {
        // RFC 8628 §3.5 authorization_pending: the client "SHOULD repeat the access token
        // request"; §3.2 interval: "minimum amount of time in seconds that the client SHOULD
        // wait between polling requests".
        Instant start = clock.instant();
        transport.then(PENDING, 2).then(TOKENS);

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isInstanceOf(TokenResult.Success.class);
        assertThat(sleeper.seconds()).containsExactly(5L, 5L, 5L);
        assertThat(transport.sent()).extracting(ScriptedTransport.Sent::at)
                .containsExactly(start.plusSeconds(5), start.plusSeconds(10), start.plusSeconds(15));
        assertThat(polls).containsExactly("1:authorization_pending:5", "2:authorization_pending:5");
    }

    @Test
    @DisplayName("D27: each slow_down adds 5 s for this and every later poll, cumulatively")
    void awaitWhenSlowDownThenIntervalGrowsByFiveSecondsForGood() throws Exception {
        // RFC 8628 §3.5 slow_down: "the interval MUST be increased by 5 seconds for this and
        // all subsequent requests."
        transport.then(PENDING).then(SLOW_DOWN).then(PENDING).then(SLOW_DOWN).then(PENDING).then(TOKENS);

        await(authorization(5, 600));

        assertThat(sleeper.seconds()).containsExactly(5L, 5L, 10L, 10L, 15L, 15L);
        assertThat(polls).containsExactly("1:authorization_pending:5", "2:slow_down:10",
                "3:authorization_pending:10", "4:slow_down:15", "5:authorization_pending:15");
    }

    @Test
    @DisplayName("D31: connection failures double the wait up to maxBackoff; an answer restores the interval")
    void awaitWhenConnectionFailsThenExponentialBackoffCappedThenIntervalAgain() throws Exception {
        // RFC 8628 §3.5: on a connection timeout the client "MUST reduce its polling frequency";
        // exponential backoff is RECOMMENDED.
        transport.thenFail(new HttpTimeoutException("request timed out"))
                .thenFail(new ConnectException("Connection refused"))
                .thenFail(new IOException("connection reset"))
                .thenFail(new HttpTimeoutException("request timed out"))
                .thenFail(new HttpTimeoutException("request timed out"))
                .then(PENDING)
                .then(TOKENS);

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isInstanceOf(TokenResult.Success.class);
        assertThat(sleeper.seconds()).containsExactly(5L, 10L, 20L, 40L, 60L, 60L, 5L);
        assertThat(polls).containsExactly("1:timeout:10", "2:timeout:20", "3:timeout:40", "4:timeout:60",
                "5:timeout:60", "6:authorization_pending:5");
    }

    @Test
    @DisplayName("D31: maxBackoff caps the backoff")
    void awaitWhenMaxBackoffSetThenBackoffCappedThere() throws Exception {
        transport.thenFail(new HttpTimeoutException("t")).thenFail(new HttpTimeoutException("t"))
                .thenFail(new HttpTimeoutException("t")).then(TOKENS);

        builder().maxBackoff(ofSeconds(15)).build().await(authorization(5, 600), listener, new CancellationToken());

        assertThat(sleeper.seconds()).containsExactly(5L, 10L, 15L, 15L);
    }

    @Test
    @DisplayName("D26 D31: backing off never polls faster than the interval, even above maxBackoff")
    void awaitWhenIntervalAboveMaxBackoffThenBackoffWaitsTheInterval() throws Exception {
        transport.thenFail(new HttpTimeoutException("t")).thenFail(new HttpTimeoutException("t")).then(TOKENS);

        await(authorization(70, 600));

        assertThat(sleeper.seconds()).containsExactly(70L, 70L, 70L);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    @DisplayName("D31: HTTP 429/5xx without an OAuth error is no answer: back off and keep polling")
    void awaitWhenOverloadedWithoutOAuthErrorThenBackOff(int status) throws Exception {
        transport.then(new HttpResult(status, Map.of("Content-Type", List.of("text/html")), "<html>busy</html>"))
                .then(TOKENS);

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isInstanceOf(TokenResult.Success.class);
        assertThat(sleeper.seconds()).containsExactly(5L, 10L);
        assertThat(polls).containsExactly("1:timeout:10");
    }

    @Test
    @DisplayName("D28: access_denied ends the flow as Denied")
    void awaitWhenAccessDeniedThenDenied() throws Exception {
        transport.then(PENDING).then(oauthError("access_denied", "the user said no"));

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isEqualTo(new TokenResult.Denied("the user said no"));
        assertThat(transport.sent()).hasSize(2);
    }

    @Test
    @DisplayName("D29: expired_token ends the flow as Expired and starts no new authorization")
    void awaitWhenExpiredTokenThenExpiredWithoutRestart() throws Exception {
        // RFC 8628 §3.5 expired_token: the client "MAY commence a new device authorization
        // request but SHOULD wait for user interaction before restarting".
        transport.then(PENDING).then(oauthError("expired_token"));

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isEqualTo(new TokenResult.Expired(null));
        assertThat(transport.sent()).hasSize(2).allSatisfy(sent -> assertThat(sent.uri()).isEqualTo(TOKEN_ENDPOINT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_client", "invalid_grant", "unauthorized_client", "invalid_request",
            "unsupported_grant_type", "server_error", "temporarily_unavailable", "some_extension_error"})
    @DisplayName("D30: any other error code stops polling with Failed")
    void awaitWhenOtherErrorThenFailedAndNoMorePolls(String error) throws Exception {
        // RFC 8628 §3.5: on any other error the client "SHOULD stop polling and react accordingly".
        transport.then(oauthError(error, "details"));

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isEqualTo(new TokenResult.Failed(error, "details"));
        assertThat(transport.sent()).hasSize(1);
        assertThat(polls).isEmpty();
    }

    @Test
    @DisplayName("D25: a §5.1 answer becomes Success with every field")
    void awaitWhenTokensThenSuccessWithAllFields() throws Exception {
        String idToken = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").build()).serialize();
        transport.then(json(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":3600,\"refresh_token\":\"" + REFRESH_TOKEN + "\",\"scope\":\"openid profile\","
                + "\"id_token\":\"" + idToken + "\"}"));

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isEqualTo(new TokenResult.Success(ACCESS_TOKEN, "Bearer", ofSeconds(3600), REFRESH_TOKEN,
                idToken, Set.of("openid", "profile")));
    }

    @Test
    void awaitWhenTokensWithoutOptionalFieldsThenNullsAndEmptyScope() throws Exception {
        transport.then(json(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\"}"));

        TokenResult result = await(authorization(5, 600));

        assertThat(result).isEqualTo(new TokenResult.Success(ACCESS_TOKEN, "Bearer", null, null, null, Set.of()));
    }

    @Test
    @DisplayName("D12: the client never polls once expires_in has run out by its clock")
    void awaitWhenNextPollWouldBeAfterExpiryThenExpiredWithoutPolling() throws Exception {
        transport.then(PENDING, 2);

        TokenResult result = await(authorization(5, 12));

        // polls at t=5 and t=10; the next would be at t=15, after expiry at t=12
        assertThat(result).isEqualTo(new TokenResult.Expired("the code expired before the user finished"));
        assertThat(sleeper.seconds()).containsExactly(5L, 5L);
        assertThat(transport.sent()).hasSize(2);
    }

    @Test
    @DisplayName("D12: no poll at the very instant of expiry")
    void awaitWhenNextPollWouldBeAtExpiryThenExpired() throws Exception {
        transport.then(PENDING);

        TokenResult result = await(authorization(5, 10));

        // poll at t=5; the next would be exactly at expiry (t=10): no pointless wait, no poll
        assertThat(result).isInstanceOf(TokenResult.Expired.class);
        assertThat(transport.sent()).hasSize(1);
        assertThat(sleeper.seconds()).containsExactly(5L);
    }

    @Test
    @DisplayName("D12: a wait that overran expiry (device suspended) ends without a poll")
    void awaitWhenWaitOverranExpiryThenExpiredWithoutPolling() throws Exception {
        sleeper.overshoot(ofSeconds(600));

        TokenResult result = await(authorization(5, 60));

        assertThat(result).isEqualTo(new TokenResult.Expired("the code expired before the user finished"));
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void awaitWhenCancelledDuringWaitThenCancelledWithoutFurtherPoll() throws Exception {
        CancellationToken cancel = new CancellationToken();
        sleeper.during(2, cancel::cancel);
        transport.then(PENDING);

        TokenResult result = client().await(authorization(5, 600), listener, cancel);

        assertThat(result).isEqualTo(new TokenResult.Cancelled());
        assertThat(transport.sent()).hasSize(1);
    }

    @Test
    void awaitWhenCancelledBeforehandThenCancelledWithoutWaitingOrPolling() throws Exception {
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();

        TokenResult result = client().await(authorization(5, 600), listener, cancel);

        assertThat(result).isEqualTo(new TokenResult.Cancelled());
        assertThat(sleeper.seconds()).isEmpty();
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void awaitWhenSleeperInterruptedThenInterruptedExceptionPropagates() {
        sleeper.during(1, () -> {
            throw new InterruptedException("stop");
        });

        assertThatThrownBy(() -> await(authorization(5, 600))).isInstanceOf(InterruptedException.class);
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void awaitWhenInterruptedDuringRequestThenInterruptedExceptionAndNoBackoff() {
        transport.then(() -> {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        });

        assertThatThrownBy(() -> await(authorization(5, 600))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the flag is consumed by the exception").isFalse();
        assertThat(polls).isEmpty();
    }

    @Test
    void awaitWhenDefaultSleeperAndCancelledFromAnotherThreadThenWakesAtOnce() throws Exception {
        DeviceFlowClient client = DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                .tokenEndpoint(TOKEN_ENDPOINT).clientId("tv-app").transport(transport).clock(clock).build();
        CancellationToken cancel = new CancellationToken();
        CompletableFuture<TokenResult> result = new CompletableFuture<>();
        Thread poller = new Thread(() -> {
            try {
                result.complete(client.await(authorization(3600, 7200), listener, cancel));
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        poller.start();
        awaitWaiting(poller);

        cancel.cancel();

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new TokenResult.Cancelled());
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void awaitWhenDefaultSleeperAndThreadInterruptedThenInterruptedException() throws Exception {
        DeviceFlowClient client = DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                .tokenEndpoint(TOKEN_ENDPOINT).clientId("tv-app").transport(transport).clock(clock).build();
        CompletableFuture<TokenResult> result = new CompletableFuture<>();
        Thread poller = new Thread(() -> {
            try {
                result.complete(client.await(authorization(3600, 7200), listener, new CancellationToken()));
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        poller.start();
        awaitWaiting(poller);

        poller.interrupt();

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InterruptedException.class);
    }

    private void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the poller never started waiting").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void awaitWhenSuccessAnswerUnparsableThenExceptionWithoutTheToken() {
        transport.then(json(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\"}"));

        assertThatThrownBy(() -> await(authorization(5, 600)))
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("HTTP 200")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ACCESS_TOKEN).doesNotContain(DEVICE_CODE));
    }

    @Test
    void awaitWhenClientErrorWithoutOAuthErrorThenException() {
        transport.then(json(400, "{}"));

        assertThatThrownBy(() -> await(authorization(5, 600)))
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("HTTP 400 without an OAuth error");
    }

    @Test
    void awaitWhenListenerThrowsThenExceptionEndsTheFlow() {
        transport.then(PENDING);
        PollListener failing = (attempt, outcome, nextWait) -> {
            throw new IllegalStateException("ui gone");
        };

        assertThatThrownBy(() -> client().await(authorization(5, 600), failing, new CancellationToken()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ui gone");
        assertThat(transport.sent()).hasSize(1);
    }

    // ---- Builder ----

    @Test
    void buildWhenMinimalThenClientWhoseToStringHidesTheSecret() {
        DeviceFlowClient client = builder().build();
        DeviceFlowClient confidential = DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                .tokenEndpoint(TOKEN_ENDPOINT).clientId("tv-app").clientSecret("hunter2").clock(clock).build();

        assertThat(client.toString()).contains("tv-app").contains("clientAuthentication=none");
        assertThat(confidential.toString()).contains("client_secret_basic").doesNotContain("hunter2");
    }

    @Test
    void buildWhenEndpointsMissingThenRejectedNamingThem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder().tokenEndpoint(TOKEN_ENDPOINT).clientId("a").clock(clock).build())
                .withMessageContaining("deviceAuthorizationEndpoint is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT).clientId("a")
                        .clock(clock).build())
                .withMessageContaining("tokenEndpoint is required");
    }

    @Test
    void buildWhenClientIdMissingOrBlankThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                        .tokenEndpoint(TOKEN_ENDPOINT).clock(clock).build())
                .withMessageContaining("clientId is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                        .tokenEndpoint(TOKEN_ENDPOINT).clientId(" ").clock(clock).build())
                .withMessageContaining("clientId");
    }

    @Test
    void buildWhenClockMissingThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                        .tokenEndpoint(TOKEN_ENDPOINT).clientId("a").build())
                .withMessageContaining("clock is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://as.example/token", "ftp://as.example/token", "/token", "https://as.example/token#f",
            "https://user@as.example/token"})
    @DisplayName("D04 O06: endpoints must be https without fragment or user info")
    void buildWhenTokenEndpointNotPlainHttpsThenRejected(String endpoint) {
        // RFC 8628 §3.1 and RFC 6749 §3.2: requests to these endpoints use TLS; the token
        // endpoint URI "MUST NOT include a fragment component".
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder().deviceAuthorizationEndpoint(DEVICE_ENDPOINT)
                        .tokenEndpoint(URI.create(endpoint)).clientId("a").clock(clock).build())
                .withMessageContaining("tokenEndpoint");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/device", "http://127.0.0.1:1234/device", "http://[::1]:80/device"})
    @DisplayName("D04: plain http is allowed only on loopback, for development")
    void buildWhenHttpOnLoopbackThenAccepted(String endpoint) {
        assertThat(DeviceFlowClient.builder().deviceAuthorizationEndpoint(URI.create(endpoint))
                .tokenEndpoint(TOKEN_ENDPOINT).clientId("a").clock(clock).build()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0.5S", "PT0S", "PT1H0.001S", "-PT1S"})
    void buildWhenMaxBackoffOutOfRangeThenRejectedWithRange(String maxBackoff) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().maxBackoff(Duration.parse(maxBackoff)).build())
                .withMessageContaining("maxBackoff")
                .withMessageContaining("PT1S..PT1H");
    }

    @ParameterizedTest
    @ValueSource(strings = {"open id", "a\"b", "back\\slash", "", "caf\u00e9"})
    void buildWhenScopeTokenInvalidThenRejected(String token) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().scope("openid", token).build())
                .withMessageContaining("scope tokens")
                .withMessageContaining("RFC 6749 §3.3");
    }

    @Test
    void buildWhenScopeEmptyThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().scope().build())
                .withMessageContaining("scope must name at least one");
    }

    @Test
    void buildWhenClientSecretEmptyThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder().clientSecret("").build())
                .withMessageContaining("clientSecret");
    }

    @Test
    void settingWhenAssignedTwiceThenIllegalState() {
        assertThatIllegalStateException().isThrownBy(() -> builder().clientId("other"))
                .withMessage("clientId is already set");
        assertThatIllegalStateException().isThrownBy(() -> builder().clock(clock))
                .withMessage("clock is already set");
        assertThatIllegalStateException().isThrownBy(() -> builder().maxBackoff(ofSeconds(5)).maxBackoff(ofSeconds(6)))
                .withMessage("maxBackoff is already set");
    }
}
