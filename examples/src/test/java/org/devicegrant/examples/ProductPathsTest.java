package org.devicegrant.examples;

import com.nimbusds.jwt.SignedJWT;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request shapes that the documentation of the products the project follows shows, each
 * served by the demo and called over HTTP as those products' users would: their paths are aliases
 * of the same handlers, matched exactly, and discovery keeps naming the canonical endpoints.
 */
class ProductPathsTest {

    private static final String JSON = "application/json";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final DemoHttp demo = new DemoHttp();

    @AfterEach
    void stop() {
        demo.close();
    }

    @Test
    @DisplayName("form posts to /oauth2/device/auth then /oauth2/token with only client_id: tokens")
    void oauth2DeviceAuthThenOauth2TokenWithOnlyClientId() throws Exception {
        Map<String, Object> codes = demo.authorizeAt("/oauth2/device/auth", "client_id", DemoServer.PUBLIC_CLIENT);
        assertThat(codes).containsKeys("device_code", "user_code", "verification_uri", "interval")
                .containsEntry("verification_uri", demo.server.issuer() + "/device");

        Map<String, Object> tokens = approveAndPoll("/device", codes, "/oauth2/token", "client_id",
                DemoServer.PUBLIC_CLIENT);

        assertThat(tokens).containsEntry("token_type", "Bearer");
        assertThat(SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet().getSubject())
                .isEqualTo("alice");
    }

    @Test
    @DisplayName("D02: /oauth2/device/auth then /oauth2/token with no client at all: the default device client")
    void oauth2DeviceAuthThenOauth2TokenWithNoClientThenDefaultDeviceClient() throws Exception {
        Map<String, Object> codes = demo.authorizeAt("/oauth2/device/auth", "scope", "openid");

        Map<String, Object> tokens = approveAndPoll("/device", codes, "/oauth2/token");

        assertThat(SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet().getStringClaim("client_id"))
                .isEqualTo(DemoServer.PUBLIC_CLIENT);
    }

    @Test
    @DisplayName("D17: /oauth2/device/auth answers qr_code to a client that asks for it (demo-tv), to no other")
    void oauth2DeviceAuthWhenClientAsksForQrCodeThenQrCode() {
        Map<String, Object> tv = demo.authorizeAt("/oauth2/device/auth", "client_id", DemoServer.TV_CLIENT);
        Map<String, Object> device = demo.authorizeAt("/oauth2/device/auth", "client_id", DemoServer.PUBLIC_CLIENT);

        String qr = (String) tv.get("qr_code");
        assertThat(qr).startsWith("data:image/png;base64,");
        byte[] png = Base64.getDecoder().decode(qr.substring("data:image/png;base64,".length()));
        assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        assertThat(device).doesNotContainKey("qr_code");
    }

    @Test
    @DisplayName("another product's paths: /oauth/device/code then /oauth/token, a full flow to tokens")
    void oauthDeviceCodeThenOauthTokenFullFlowToTokens() {
        Map<String, Object> codes = demo.authorizeAt("/oauth/device/code", "client_id", DemoServer.PUBLIC_CLIENT,
                "scope", "openid offline_access");
        assertThat(error(demo.poll("/oauth/token", (String) codes.get("device_code"))))
                .isEqualTo("authorization_pending");

        Map<String, Object> tokens = approveAndPoll("/device", codes, "/oauth/token", "client_id",
                DemoServer.PUBLIC_CLIENT);

        assertThat(tokens).containsKeys("access_token", "id_token", "refresh_token");
        HttpResponse<String> refreshed = demo.devicePost("/oauth/token", "grant_type", "refresh_token",
                "refresh_token", (String) tokens.get("refresh_token"), "client_id", DemoServer.PUBLIC_CLIENT);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    }

    @Test
    @DisplayName("org-scoped /orgs/{orgId}/api/v1/oauth/device_authorization, /token and /device: refresh and ID token "
            + "for openid offline_access")
    void orgsApiV1OauthDeviceAuthorizationThenTokenWithOpenidOfflineAccessThenRefreshAndIdToken() throws Exception {
        String api = "/orgs/globex/api/v1/oauth";
        Map<String, Object> codes = demo.authorizeAt(api + "/device_authorization", "client_id",
                DemoServer.PUBLIC_CLIENT, "scope", "openid offline_access");
        assertThat(codes).containsEntry("verification_uri", demo.server.issuer() + "/orgs/globex/device");

        Map<String, Object> tokens = approveAndPoll("/orgs/globex/device", codes, api + "/token", "client_id",
                DemoServer.PUBLIC_CLIENT);

        assertThat(tokens).containsKeys("access_token", "refresh_token", "id_token");
        assertThat(SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet().getIssuer())
                .isEqualTo(demo.server.issuer() + "/orgs/globex");
        HttpResponse<String> refreshed = demo.devicePost(api + "/token", "grant_type", "refresh_token",
                "refresh_token", (String) tokens.get("refresh_token"), "client_id", DemoServer.PUBLIC_CLIENT);
        assertThat(DemoHttp.json(refreshed.body())).containsKeys("access_token", "refresh_token", "id_token");
    }

    @Test
    @DisplayName("D21: JSON at /device_authorization with device_metadata, then a poll at /token written "
            + "{\"grantType\":\"device_code\",...}: the default tenant opts in")
    void jsonDeviceAuthorizationWithDeviceMetadataThenJsonTokenWithGrantTypeDeviceCode() {
        HttpResponse<String> authorized = demo.rawPost("/device_authorization", JSON,
                "{\"clientId\":\"demo-device\",\"scope\":\"openid\",\"device_metadata\":\"Kitchen TV\"}");
        assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(200);
        Map<String, Object> codes = DemoHttp.json(authorized.body());
        String poll = "{\"grantType\":\"device_code\",\"clientId\":\"demo-device\",\"deviceCode\":\""
                + codes.get("device_code") + "\"}";
        assertThat(error(demo.rawPost("/token", JSON, poll))).isEqualTo("authorization_pending");

        DemoHttp.Browser browser = demo.browser();
        browser.approve("/device", (String) codes.get("user_code"), "alice");
        demo.clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> tokens = demo.rawPost("/token", JSON, poll);

        assertThat(browser.pagesSeen)
                .anyMatch(page -> page.contains("Device says: <span class=\"metadata\">Kitchen TV"));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(DemoHttp.json(tokens.body())).containsKeys("access_token", "id_token");
    }

    @Test
    @DisplayName("D21: an organisation does not opt in: {\"grantType\":\"device_code\",...} is unsupported_grant_type")
    void jsonTokenWithGrantTypeDeviceCodeWhenOrganisationDidNotOptInThenUnsupportedGrantType() {
        String api = "/orgs/acme/api/v1/oauth";
        Map<String, Object> codes = demo.authorizeAt(api + "/device_authorization", "client_id",
                DemoServer.PUBLIC_CLIENT);
        String deviceCode = (String) codes.get("device_code");

        HttpResponse<String> refused = demo.rawPost(api + "/token", JSON,
                "{\"grantType\":\"device_code\",\"clientId\":\"demo-device\",\"deviceCode\":\"" + deviceCode + "\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(DemoHttp.json(refused.body())).containsEntry("error", "unsupported_grant_type")
                .containsEntry("error_description",
                        "grant_type device_code is not accepted here; use " + DemoHttp.DEVICE_GRANT);
        // the URN still works there
        assertThat(error(demo.poll(api + "/token", deviceCode))).isEqualTo("authorization_pending");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/tokenX", "/oauth/token/", "/tokenX", "/token/x", "/oauth/device/codes",
            "/oauth2/device/auth/x", "/device_authorizationX"})
    @DisplayName("the product paths are matched exactly: a longer path is 404")
    void productPathWhenSuffixedThenNotFound(String path) {
        HttpResponse<String> response = demo.devicePost(path, "client_id", DemoServer.PUBLIC_CLIENT,
                "grant_type", DemoHttp.DEVICE_GRANT, "device_code", "x");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("D32: discovery names the canonical endpoints and the URN only, whatever paths are served")
    void discoveryWhenProductPathsServedThenNamesTheCanonicalEndpoints() {
        String issuer = demo.server.issuer().toString();
        // the one metadata document: the demo publishes no OpenID configuration (DiscoveryTest)
        HttpResponse<String> response = demo.getJson(Discovery.OAUTH_METADATA);
        Map<String, Object> metadata = DemoHttp.json(response.body());

        assertThat(metadata).containsEntry("device_authorization_endpoint", issuer + "/oauth2/device_authorization")
                .containsEntry("token_endpoint", issuer + "/oauth2/token");
        assertThat(metadata.get("grant_types_supported")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .containsExactly(DemoHttp.DEVICE_GRANT, "refresh_token");
        assertThat(response.body()).doesNotContain("/oauth/token", "/oauth/device/code", "/oauth2/device/auth",
                "\"" + issuer + "/token\"", "\"" + issuer + "/device_authorization\"");
    }

    @Test
    void bannerWhenStartedThenListsTheProductPathsAndWhichTenantTakesTheAlias() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        DemoServer.printBanner(demo.server, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String base = demo.server.issuer().toString();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("  device authorization (alias) " + base + "/oauth2/device/auth\n")
                .contains("  device authorization (alias) " + base + "/oauth/device/code\n")
                .contains("  device authorization (alias) " + base + "/device_authorization\n")
                .contains("  token (alias)                " + base + "/oauth/token\n")
                .contains("  token (alias)                " + base + "/token\n")
                .contains("  grant_type=device_code       accepted by the default tenant (an opt-in alias of "
                        + DemoHttp.DEVICE_GRANT + "); the organisations refuse it\n");
    }

    // ---- helpers ----

    /**
     * alice approves every requested scope on the pages at {@code pages}; after the interval the
     * device polls {@code tokenPath} with the URN and these extra form parameters: the token
     * response, which must be 200.
     */
    private Map<String, Object> approveAndPoll(String pages, Map<String, Object> codes, String tokenPath,
            String... client) {
        demo.browser().approve(pages, (String) codes.get("user_code"), "alice");
        demo.clock.advance(Duration.ofSeconds(5));
        String[] form = new String[4 + client.length];
        form[0] = "grant_type";
        form[1] = DemoHttp.DEVICE_GRANT;
        form[2] = "device_code";
        form[3] = (String) codes.get("device_code");
        System.arraycopy(client, 0, form, 4, client.length);
        HttpResponse<String> token = demo.devicePost(tokenPath, form);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return DemoHttp.json(token.body());
    }

    private static String error(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 401);
        return (String) DemoHttp.json(response.body()).get("error");
    }
}
