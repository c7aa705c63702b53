package org.devicegrant.examples;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of a device's grant in the demo, over HTTP as a device and a resource server see it:
 * refresh tokens when {@code offline_access} is approved, rotation and reuse detection, revocation,
 * introspection by {@value DemoServer#CONFIDENTIAL_CLIENT}, Unlink on "Your devices", discovery.
 */
class DemoGrantLifeTest {

    private static final String ACME = "/orgs/acme";
    private static final String ACME_API = ACME + "/api/v1/oauth";

    private final DemoHttp demo = new DemoHttp();

    @AfterEach
    void stop() {
        demo.close();
    }

    @Test
    @DisplayName("RFC 6749 §6: offline_access approved → a refresh token; without it, none")
    void tokenWhenOfflineAccessApprovedThenRefreshToken() {
        assertThat(signIn("openid offline_access")).containsKeys("access_token", "refresh_token", "id_token");
        assertThat(signIn("openid")).containsKey("access_token").doesNotContainKey("refresh_token");
    }

    @Test
    @DisplayName("RFC 9700 §4.14.2: a refresh returns a new refresh token and a new access token")
    void refreshWhenPresentedThenRotated() {
        Map<String, Object> tokens = signIn("openid offline_access");

        HttpResponse<String> refreshed = refresh(DemoServer.TOKEN_PATH, (String) tokens.get("refresh_token"));

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        Map<String, Object> rotated = DemoHttp.json(refreshed.body());
        assertThat(rotated).containsKeys("access_token", "refresh_token")
                .containsEntry("token_type", "Bearer");
        assertThat(rotated.get("refresh_token")).isNotEqualTo(tokens.get("refresh_token"));
    }

    @Test
    @DisplayName("RFC 9700 §4.14.2: the retired refresh token presented again revokes the grant; the newest then fails too")
    void refreshWhenRetiredTokenReusedThenGrantRevoked() {
        String first = (String) signIn("openid offline_access").get("refresh_token");
        String second = (String) DemoHttp.json(refresh(DemoServer.TOKEN_PATH, first).body()).get("refresh_token");

        assertThat(error(refresh(DemoServer.TOKEN_PATH, first))).isEqualTo("invalid_grant");
        assertThat(error(refresh(DemoServer.TOKEN_PATH, second))).isEqualTo("invalid_grant");
    }

    @Test
    @DisplayName("RFC 7009 §2.2: the device revokes its refresh token: 200, then its refresh is invalid_grant")
    void revocationWhenRefreshTokenThenRefreshFails() {
        Map<String, Object> tokens = signIn("openid offline_access");
        String refreshToken = (String) tokens.get("refresh_token");

        HttpResponse<String> revoked = demo.devicePost(DemoServer.REVOCATION_PATH, "client_id",
                DemoServer.PUBLIC_CLIENT, "token", refreshToken, "token_type_hint", "refresh_token");

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(error(refresh(DemoServer.TOKEN_PATH, refreshToken))).isEqualTo("invalid_grant");
        assertThat(introspect(DemoServer.INTROSPECTION_PATH, (String) tokens.get("access_token")))
                .isEqualTo(Map.of("active", false));
    }

    @Test
    @DisplayName("RFC 7009 §2: an access token revokes its grant: the refresh fails and introspection says inactive")
    void revocationWhenAccessTokenThenGrantRevoked() {
        Map<String, Object> tokens = signIn("openid offline_access");
        String accessToken = (String) tokens.get("access_token");

        HttpResponse<String> revoked = demo.devicePost(DemoServer.REVOCATION_PATH, "client_id",
                DemoServer.PUBLIC_CLIENT, "token", accessToken, "token_type_hint", "access_token");

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(error(refresh(DemoServer.TOKEN_PATH, (String) tokens.get("refresh_token"))))
                .isEqualTo("invalid_grant");
        assertThat(introspect(DemoServer.INTROSPECTION_PATH, accessToken)).isEqualTo(Map.of("active", false));
    }

    @Test
    @DisplayName("RFC 7662 §2.2: demo-confidential introspects: active before Unlink, active:false after; the refresh then fails")
    void introspectionWhenDeviceUnlinkedThenInactive() {
        Map<String, Object> tokens = signIn("openid offline_access");
        String accessToken = (String) tokens.get("access_token");
        assertThat(introspect(DemoServer.INTROSPECTION_PATH, accessToken)).containsEntry("active", true)
                .containsEntry("sub", "alice").containsEntry("client_id", DemoServer.PUBLIC_CLIENT)
                .containsEntry("iss", demo.server.issuer().toString());

        DemoHttp.Browser alice = demo.browser();
        alice.signIn("alice", "alice");
        HttpResponse<String> devices = alice.get("/device/devices");
        assertThat(devices.body()).contains("its tokens stop working, and its next refresh fails");
        String authorizationId = DemoHttp.hidden(devices.body(), "authorization_id");
        HttpResponse<String> unlinked = alice.post("/device/devices", "csrf", alice.csrf(devices),
                "authorization_id", authorizationId);

        assertThat(unlinked.body()).contains("Device unlinked. Its tokens no longer work, and its next refresh fails");
        assertThat(introspect(DemoServer.INTROSPECTION_PATH, accessToken)).isEqualTo(Map.of("active", false));
        assertThat(error(refresh(DemoServer.TOKEN_PATH, (String) tokens.get("refresh_token"))))
                .isEqualTo("invalid_grant");
        // the demo's revocation hook is still told
        assertThat(demo.server.revocations().revoked())
                .containsExactly(new DemoRevocations.Revocation("default", "alice", authorizationId));
    }

    @Test
    @DisplayName("RFC 7662 §2.1: the public demo-device cannot introspect")
    void introspectionWhenPublicClientThenInvalidClient() {
        String accessToken = (String) signIn("openid offline_access").get("access_token");

        HttpResponse<String> response = demo.devicePost(DemoServer.INTROSPECTION_PATH,
                "client_id", DemoServer.PUBLIC_CLIENT, "token", accessToken);

        assertThat(error(response)).isEqualTo("invalid_client");
    }

    @Test
    @DisplayName("an organisation's grants: refresh, introspection and revocation under /orgs/{org}/api/v1/oauth")
    void orgPathsWhenGrantKeptThenRefreshIntrospectAndRevoke() {
        Map<String, Object> codes = demo.authorizeAt(ACME_API + "/device_authorization",
                "client_id", DemoServer.PUBLIC_CLIENT, "scope", "openid offline_access");
        demo.browser().approve(ACME + "/device", (String) codes.get("user_code"), "alice");
        demo.clock.advance(Duration.ofSeconds(5));
        Map<String, Object> tokens = DemoHttp.json(demo.poll(ACME_API + "/token", (String) codes.get("device_code"))
                .body());
        assertThat(tokens).containsKeys("refresh_token", "id_token");

        Map<String, Object> refreshed = DemoHttp.json(refresh(ACME_API + "/token",
                (String) tokens.get("refresh_token")).body());
        assertThat(refreshed).containsKey("refresh_token");
        String accessToken = (String) refreshed.get("access_token");
        assertThat(introspect(ACME_API + "/introspect", accessToken)).containsEntry("active", true)
                .containsEntry("iss", demo.server.issuer() + ACME);
        // a token of acme is unknown to the default tenant
        assertThat(introspect(DemoServer.INTROSPECTION_PATH, accessToken)).isEqualTo(Map.of("active", false));

        assertThat(demo.devicePost(ACME_API + "/revoke", "client_id", DemoServer.PUBLIC_CLIENT,
                "token", (String) refreshed.get("refresh_token")).statusCode()).isEqualTo(200);
        assertThat(introspect(ACME_API + "/introspect", accessToken)).isEqualTo(Map.of("active", false));
    }

    @Test
    @DisplayName("RFC 8414 §2: discovery lists the revocation and introspection endpoints and the refresh_token grant")
    void discoveryWhenGrantsKeptThenListsTheEndpoints() {
        String issuer = demo.server.issuer().toString();
        Map<String, Object> metadata = DemoHttp.json(demo.getJson("/.well-known/oauth-authorization-server").body());
        assertThat(metadata).containsEntry("revocation_endpoint", issuer + DemoServer.REVOCATION_PATH)
                .containsEntry("introspection_endpoint", issuer + DemoServer.INTROSPECTION_PATH);
        assertThat(metadata.get("grant_types_supported")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("refresh_token");

        Map<String, Object> acme = DemoHttp.json(
                demo.getJson("/.well-known/oauth-authorization-server" + ACME).body());
        assertThat(acme).containsEntry("revocation_endpoint", issuer + ACME_API + "/revoke")
                .containsEntry("introspection_endpoint", issuer + ACME_API + "/introspect");
    }

    // ---- helpers ----

    /** alice, in a browser of her own, approves every requested scope for demo-device: the token response. */
    private Map<String, Object> signIn(String scope) {
        Map<String, Object> codes = demo.authorize(scope);
        demo.browser().approve("/device", (String) codes.get("user_code"), "alice");
        demo.clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> token = demo.poll((String) codes.get("device_code"));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return DemoHttp.json(token.body());
    }

    private HttpResponse<String> refresh(String path, String refreshToken) {
        return demo.refresh(path, refreshToken);
    }

    private Map<String, Object> introspect(String path, String token) {
        return demo.introspect(path, token);
    }

    private static String error(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 401);
        return (String) DemoHttp.json(response.body()).get("error");
    }
}
