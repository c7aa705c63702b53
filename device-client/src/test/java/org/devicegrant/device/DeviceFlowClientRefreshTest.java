package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.device.ScriptedTransport.json;
import static org.devicegrant.device.ScriptedTransport.oauthError;

import java.net.ConnectException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DeviceFlowClient#refresh(CachedTokens, String...)}: RFC 6749 §6 with rotation. */
class DeviceFlowClientRefreshTest {

    static final URI TOKEN_ENDPOINT = URI.create("https://as.example/token");
    static final String OLD_ACCESS = "at-old-2YotnFZFEjr1zCsicMWpAA";
    static final String OLD_REFRESH = "rt-old-tGzv3JOkF0XG5Qx2TlKWIA";
    static final String NEW_ACCESS = "at-new-9zYw8xVu7tSr6qPo5nMlKA";
    static final String NEW_REFRESH = "rt-new-Hk2Lm3Np4Qr5St6Uv7WxYA";
    static final String ID_TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ScriptedTransport transport = new ScriptedTransport(clock);

    DeviceFlowClient.Builder builder() {
        return DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(URI.create("https://as.example/device_authorization"))
                .tokenEndpoint(TOKEN_ENDPOINT)
                .clientId("tv-app")
                .transport(transport)
                .clock(clock);
    }

    CachedTokens current() {
        return new CachedTokens(OLD_ACCESS, "Bearer", clock.instant().plusSeconds(60), OLD_REFRESH, ID_TOKEN,
                Set.of("openid", "profile", "offline_access"));
    }

    static HttpResult issued(String extra) {
        return json(200, "{\"access_token\":\"" + NEW_ACCESS + "\",\"token_type\":\"Bearer\",\"expires_in\":600"
                + extra + "}");
    }

    @Test
    void refreshWhenPublicClientThenExactFormWithRefreshTokenAndClientId() throws Exception {
        transport.then(issued(""));

        builder().build().refresh(current());

        ScriptedTransport.Sent sent = transport.sent().get(0);
        assertThat(sent.uri()).isEqualTo(TOKEN_ENDPOINT);
        assertThat(sent.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "refresh_token", "refresh_token", OLD_REFRESH, "client_id", "tv-app"));
        assertThat(sent.headers()).containsEntry("Accept", "application/json")
                .containsEntry("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .doesNotContainKey("Authorization");
    }

    @Test
    void refreshWhenClientSecretThenBasicAuthAndNoClientIdInTheBody() throws Exception {
        transport.then(issued(""));

        builder().clientSecret("s3cret").build().refresh(current());

        ScriptedTransport.Sent sent = transport.sent().get(0);
        assertThat(sent.headers().get("Authorization")).startsWith("Basic ");
        assertThat(sent.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "refresh_token", "refresh_token", OLD_REFRESH));
    }

    @Test
    void refreshWhenNarrowerScopeThenSentAndKeptWhenTheAnswerOmitsIt() throws Exception {
        transport.then(issued(""));

        RefreshResult result = builder().build().refresh(current(), "openid");

        assertThat(transport.sent().get(0).form()).containsEntry("scope", "openid");
        assertThat(((RefreshResult.Refreshed) result).tokens().scope()).containsExactly("openid");
    }

    @Test
    void refreshWhenScopeTokenInvalidThenRejectedBeforeSending() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder().build().refresh(current(), "open id"))
                .withMessageContaining("RFC 6749 §3.3");
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void refreshWhenRotatedThenNewRefreshTokenReplacesTheOld() throws Exception {
        transport.then(issued(",\"refresh_token\":\"" + NEW_REFRESH + "\",\"scope\":\"openid offline_access\""));
        Instant sentAt = clock.instant();

        RefreshResult result = builder().build().refresh(current());

        assertThat(result).isEqualTo(new RefreshResult.Refreshed(new CachedTokens(NEW_ACCESS, "Bearer",
                sentAt.plusSeconds(600), NEW_REFRESH, ID_TOKEN, Set.of("openid", "offline_access")), true));
    }

    @Test
    void refreshWhenRotatedTwiceThenEachRequestPresentsTheNewestRefreshToken() throws Exception {
        String newest = "rt-newest-AbCdEfGhIjKlMnOpQrStUA";
        transport.then(issued(",\"refresh_token\":\"" + NEW_REFRESH + "\""))
                .then(issued(",\"refresh_token\":\"" + newest + "\""));
        DeviceFlowClient client = builder().build();

        CachedTokens once = ((RefreshResult.Refreshed) client.refresh(current())).tokens();
        CachedTokens twice = ((RefreshResult.Refreshed) client.refresh(once)).tokens();

        assertThat(transport.sent()).extracting(sent -> sent.form().get("refresh_token"))
                .containsExactly(OLD_REFRESH, NEW_REFRESH);
        assertThat(twice.refreshToken()).isEqualTo(newest);
    }

    @Test
    void refreshWhenNotRotatedThenThePresentedRefreshTokenIsKept() throws Exception {
        // RFC 6749 §6: the authorization server "MAY issue a new refresh token"; without one the
        // client keeps using the old.
        transport.then(issued(""));

        RefreshResult result = builder().build().refresh(current());

        assertThat(result).isInstanceOfSatisfying(RefreshResult.Refreshed.class, refreshed -> {
            assertThat(refreshed.rotated()).isFalse();
            assertThat(refreshed.tokens().refreshToken()).isEqualTo(OLD_REFRESH);
            assertThat(refreshed.tokens().accessToken()).isEqualTo(NEW_ACCESS);
            assertThat(refreshed.tokens().scope()).isEqualTo(current().scope());
            assertThat(refreshed.tokens().idToken()).isEqualTo(ID_TOKEN);
        });
    }

    @Test
    void refreshWhenSameRefreshTokenAnsweredThenNotRotated() throws Exception {
        transport.then(issued(",\"refresh_token\":\"" + OLD_REFRESH + "\""));

        RefreshResult result = builder().build().refresh(current());

        assertThat(((RefreshResult.Refreshed) result).rotated()).isFalse();
    }

    @Test
    void refreshWhenNewIdTokenThenItReplacesTheOld() throws Exception {
        String newIdToken = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsIm4iOjJ9.";
        transport.then(issued(",\"id_token\":\"" + newIdToken + "\""));

        RefreshResult result = builder().build().refresh(current());

        assertThat(((RefreshResult.Refreshed) result).tokens().idToken()).isEqualTo(newIdToken);
    }

    @Test
    void refreshWhenNoExpiresInThenExpiryUnknown() throws Exception {
        transport.then(json(200, "{\"access_token\":\"" + NEW_ACCESS + "\",\"token_type\":\"Bearer\"}"));

        RefreshResult result = builder().build().refresh(current());

        assertThat(((RefreshResult.Refreshed) result).tokens().expiresAt()).isNull();
    }

    @Test
    void refreshWhenInvalidGrantThenReauthorizationNeeded() throws Exception {
        transport.then(oauthError("invalid_grant", "grant revoked"));

        RefreshResult result = builder().build().refresh(current());

        assertThat(result).isEqualTo(new RefreshResult.ReauthorizationNeeded("grant revoked"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_client", "invalid_scope", "unauthorized_client", "invalid_request",
            "unsupported_grant_type", "temporarily_unavailable"})
    void refreshWhenOtherOAuthErrorThenFailedWithItsCode(String error) throws Exception {
        transport.then(oauthError(error, "details"));

        RefreshResult result = builder().build().refresh(current());

        assertThat(result).isEqualTo(new RefreshResult.Failed(error, "details"));
    }

    @Test
    void refreshWhenUnreachableThenExceptionWithCauseAndNoToken() {
        ConnectException refused = new ConnectException("Connection refused");
        transport.thenFail(refused);

        assertThatThrownBy(() -> builder().build().refresh(current()))
                .isInstanceOf(DeviceFlowException.class)
                .hasCause(refused)
                .hasMessageContaining(TOKEN_ENDPOINT.toString())
                .hasMessageContaining("keep the stored tokens")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(OLD_REFRESH));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void refreshWhenOverloadedWithoutOAuthErrorThenException(int status) {
        transport.then(new HttpResult(status, Map.of("Content-Type", List.of("text/html")), "<html>busy</html>"));

        assertThatThrownBy(() -> builder().build().refresh(current()))
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("HTTP " + status);
    }

    @Test
    void refreshWhenSuccessAnswerInvalidThenExceptionWithoutTheToken() {
        transport.then(json(200, "{\"access_token\":\"" + NEW_ACCESS + "\"}"));

        assertThatThrownBy(() -> builder().build().refresh(current()))
                .isInstanceOf(DeviceFlowException.class)
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(NEW_ACCESS).doesNotContain(OLD_REFRESH));
    }

    @Test
    void refreshWhenNoRefreshTokenThenRejectedWithoutRequest() {
        CachedTokens withoutRefresh = new CachedTokens(OLD_ACCESS, "Bearer", null, null, null, Set.of());

        assertThatIllegalArgumentException().isThrownBy(() -> builder().build().refresh(withoutRefresh))
                .withMessageContaining("no refresh token");
        assertThat(transport.sent()).isEmpty();
    }
}
