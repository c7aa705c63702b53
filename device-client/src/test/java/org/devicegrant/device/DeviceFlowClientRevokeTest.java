package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.device.ScriptedTransport.json;
import static org.devicegrant.device.ScriptedTransport.oauthError;

import java.net.ConnectException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DeviceFlowClient#revoke(String, TokenTypeHint)}: RFC 7009. */
class DeviceFlowClientRevokeTest {

    static final URI REVOCATION_ENDPOINT = URI.create("https://as.example/revoke");
    static final String REFRESH_TOKEN = "rt-tGzv3JOkF0XG5Qx2TlKWIA";

    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ScriptedTransport transport = new ScriptedTransport(clock);

    DeviceFlowClient.Builder builder() {
        return DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(URI.create("https://as.example/device_authorization"))
                .tokenEndpoint(URI.create("https://as.example/token"))
                .revocationEndpoint(REVOCATION_ENDPOINT)
                .clientId("tv-app")
                .transport(transport)
                .clock(clock);
    }

    @ParameterizedTest
    @EnumSource(TokenTypeHint.class)
    void revokeWhenPublicClientThenExactFormWithTokenHintAndClientId(TokenTypeHint hint) throws Exception {
        transport.then(new HttpResult(200, Map.of(), ""));

        RevocationResult result = builder().build().revoke(REFRESH_TOKEN, hint);

        assertThat(result).isEqualTo(new RevocationResult.Revoked());
        ScriptedTransport.Sent sent = transport.sent().get(0);
        assertThat(sent.uri()).isEqualTo(REVOCATION_ENDPOINT);
        assertThat(sent.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "token", REFRESH_TOKEN, "token_type_hint", hint.wire(), "client_id", "tv-app"));
        assertThat(sent.headers()).containsEntry("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .doesNotContainKey("Authorization");
    }

    @Test
    void revokeWhenHintsThenTheirWireNamesAreThoseOfRfc7009() {
        assertThat(TokenTypeHint.ACCESS_TOKEN.wire()).isEqualTo("access_token");
        assertThat(TokenTypeHint.REFRESH_TOKEN.wire()).isEqualTo("refresh_token");
    }

    @Test
    void revokeWhenClientSecretThenBasicAuthAndNoClientIdInTheBody() throws Exception {
        transport.then(new HttpResult(200, Map.of(), ""));

        builder().clientSecret("s3cret").build().revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN);

        ScriptedTransport.Sent sent = transport.sent().get(0);
        assertThat(sent.headers().get("Authorization")).startsWith("Basic ");
        assertThat(sent.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "token", REFRESH_TOKEN, "token_type_hint", "refresh_token"));
    }

    @Test
    void revokeWhenHttp200WithAnyBodyThenRevoked() throws Exception {
        // RFC 7009 §2.2: 200 also for an invalid token; "The content of the response body is
        // ignored by the client".
        transport.then(json(200, "{\"error\":\"invalid_token\"}")).then(new HttpResult(200, Map.of(), "not json"));
        DeviceFlowClient client = builder().build();

        assertThat(client.revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN)).isEqualTo(new RevocationResult.Revoked());
        assertThat(client.revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN)).isEqualTo(new RevocationResult.Revoked());
    }

    @Test
    void revokeWhenUnsupportedTokenTypeThenFailedWithThatCode() throws Exception {
        transport.then(oauthError("unsupported_token_type", "access tokens are not revocable here"));

        RevocationResult result = builder().build().revoke("at-1", TokenTypeHint.ACCESS_TOKEN);

        assertThat(result).isEqualTo(new RevocationResult.Failed(RevocationResult.Failed.UNSUPPORTED_TOKEN_TYPE,
                "access tokens are not revocable here"));
        assertThat(RevocationResult.Failed.UNSUPPORTED_TOKEN_TYPE).isEqualTo("unsupported_token_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_client", "invalid_request", "unauthorized_client"})
    void revokeWhenOtherOAuthErrorThenFailed(String error) throws Exception {
        transport.then(new HttpResult(error.equals("invalid_client") ? 401 : 400,
                Map.of("Content-Type", List.of("application/json")), "{\"error\":\"" + error + "\"}"));

        RevocationResult result = builder().build().revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN);

        assertThat(result).isEqualTo(new RevocationResult.Failed(error, null));
    }

    @Test
    void revokeWhenServiceUnavailableThenExceptionSayingTheTokenMayStillBeValid() {
        // RFC 7009 §2.2.1: on 503 "The client must assume the token still exists".
        transport.then(new HttpResult(503, Map.of("Retry-After", List.of("30")), ""));

        assertThatThrownBy(() -> builder().build().revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN))
                .isInstanceOf(DeviceFlowException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("may still be valid");
    }

    @Test
    void revokeWhenUnreachableThenExceptionWithCauseAndNoToken() {
        ConnectException refused = new ConnectException("Connection refused");
        transport.thenFail(refused);

        assertThatThrownBy(() -> builder().build().revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN))
                .isInstanceOf(DeviceFlowException.class)
                .hasCause(refused)
                .hasMessageContaining(REVOCATION_ENDPOINT.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(REFRESH_TOKEN));
    }

    @Test
    void revokeWhenNoRevocationEndpointThenIllegalStateWithoutRequest() {
        DeviceFlowClient client = DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(URI.create("https://as.example/device_authorization"))
                .tokenEndpoint(URI.create("https://as.example/token")).clientId("tv-app")
                .transport(transport).clock(clock).build();

        assertThatIllegalStateException().isThrownBy(() -> client.revoke(REFRESH_TOKEN, TokenTypeHint.REFRESH_TOKEN))
                .withMessageContaining("revocationEndpoint");
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void buildWhenRevocationEndpointNotHttpsThenRejectedNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeviceFlowClient.builder()
                        .deviceAuthorizationEndpoint(URI.create("https://as.example/device_authorization"))
                        .tokenEndpoint(URI.create("https://as.example/token"))
                        .revocationEndpoint(URI.create("http://as.example/revoke"))
                        .clientId("tv-app").clock(clock).build())
                .withMessageContaining("revocationEndpoint");
    }

    @Test
    void toStringWhenRevocationEndpointThenNamedAndNoSecret() {
        assertThat(builder().clientSecret("hunter2").build().toString())
                .contains("revocationEndpoint=" + REVOCATION_ENDPOINT).doesNotContain("hunter2");
    }
}
