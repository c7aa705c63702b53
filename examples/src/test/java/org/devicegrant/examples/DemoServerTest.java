package org.devicegrant.examples;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DemoServerTest {

    private static final String ACME_AUTHORIZE = "/orgs/acme/api/v1/oauth/device_authorization";
    private static final String ACME_TOKEN = "/orgs/acme/api/v1/oauth/token";
    private static final String GLOBEX_AUTHORIZE = "/orgs/globex/api/v1/oauth/device_authorization";
    private static final String GLOBEX_TOKEN = "/orgs/globex/api/v1/oauth/token";

    @Test
    void portWhenGivenThenParsedAndWhenAbsentThenDefault() {
        assertThat(DemoServer.port(new String[] {"--port", "9090"})).isEqualTo(9090);
        assertThat(DemoServer.port(new String[] {"--port=0"})).isZero();
        assertThat(DemoServer.port(new String[0])).isEqualTo(DemoServer.DEFAULT_PORT);
        assertThat(DemoServer.port(new String[] {"--help"})).isEqualTo(-1);
    }

    @Test
    void portWhenOutOfRangeOrUnknownArgumentThenRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoServer.port(new String[] {"--port", "65536"}))
                .withMessage("--port must be between 0 and 65535 (0 picks a free port), was 65536");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoServer.port(new String[] {"--port", "x"}))
                .withMessageContaining("--port must be between 0 and 65535");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoServer.port(new String[] {"--verbose"}))
                .withMessage("unknown argument: --verbose");
    }

    @Test
    void bannerWhenStartedOnPortZeroThenShowsTheChosenPortUrlsAndAccounts() {
        try (DemoHttp demo = new DemoHttp()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            DemoServer.printBanner(demo.server, new PrintStream(bytes, true, StandardCharsets.UTF_8));

            String banner = bytes.toString(StandardCharsets.UTF_8);
            String base = "http://localhost:" + demo.server.port();
            assertThat(demo.server.port()).isPositive();
            assertThat(banner).contains("issuer                       " + base + "\n")
                    .contains(base + "/device\n").contains(base + "/oauth2/device_authorization\n")
                    .contains(base + "/oauth2/token\n").contains(base + "/oauth2/jwks\n")
                    .contains("revocation (POST)            " + base + "/oauth2/revoke\n")
                    .contains("introspection (POST)         " + base + "/oauth2/introspect\n")
                    .contains(base + "/.well-known/oauth-authorization-server\n")
                    .doesNotContain("openid-configuration")
                    .contains("alice / alice, bob / bob, carol / carol (locked: no tokens)")
                    .contains("demo-device (scopes: openid profile email offline_access; the default when "
                            + "client_id is absent)")
                    .contains("demo-confidential / demo-secret (may introspect)")
                    .contains("public client with qr_code   demo-tv\n")
                    .contains(base + "/device/devices\n")
                    .contains("organisation acme            " + base + "/orgs/acme  (Acme Corporation; "
                            + "device authorization /orgs/acme/api/v1/oauth/device_authorization, "
                            + "token /orgs/acme/api/v1/oauth/token, revocation /orgs/acme/api/v1/oauth/revoke, "
                            + "introspection /orgs/acme/api/v1/oauth/introspect, page /orgs/acme/device)\n")
                    .contains("organisation globex          " + base + "/orgs/globex  (Globex Inc.;")
                    .contains("127.0.0.1:" + demo.server.port());
        }
    }

    @Test
    void rootWhenRequestedThenRedirectsToVerificationPage() {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> response = demo.browser().get("/");

            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Location")).hasValue("/device");
        }
    }

    @Test
    void deviceAuthorizationWhenPublicClientThenCodesPointAtTheVerificationPage() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> codes = demo.authorize("openid profile email offline_access");

            String verificationUri = demo.server.issuer() + "/device";
            assertThat(codes).containsEntry("verification_uri", verificationUri)
                    .containsEntry("verification_uri_complete", verificationUri + "?user_code=" + codes.get("user_code"))
                    .containsKeys("device_code", "expires_in", "interval");
        }
    }

    @Test
    void deviceAuthorizationWhenConfidentialClientUsesBasicThenAcceptedAndWrongSecretRefused() {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> ok = demo.devicePostWithBasic(DemoServer.CONFIDENTIAL_CLIENT,
                    DemoServer.CONFIDENTIAL_SECRET);
            HttpResponse<String> wrong = demo.devicePostWithBasic(DemoServer.CONFIDENTIAL_CLIENT, "guess");

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(DemoHttp.json(ok.body())).containsKey("device_code");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(DemoHttp.json(wrong.body())).containsEntry("error", "invalid_client");
        }
    }

    // ---- tenants ----

    @Test
    void deviceAuthorizationWhenOrganisationPathThenCodesPointAtTheOrganisationsPage() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> acme = demo.authorizeAt(ACME_AUTHORIZE, "client_id", "demo-device", "scope", "openid");
            Map<String, Object> globex = demo.authorizeAt(GLOBEX_AUTHORIZE, "client_id", "demo-device");

            String acmePage = demo.server.issuer() + "/orgs/acme/device";
            assertThat(acme).containsEntry("verification_uri", acmePage)
                    .containsEntry("verification_uri_complete", acmePage + "?user_code=" + acme.get("user_code"));
            assertThat(globex).containsEntry("verification_uri", demo.server.issuer() + "/orgs/globex/device");
        }
    }

    @Test
    void deviceAuthorizationWhenOrganisationAndConfidentialClientThenBasicAccepted() {
        try (DemoHttp demo = new DemoHttp()) {
            String basic = Base64.getEncoder().encodeToString("demo-confidential:demo-secret"
                    .getBytes(StandardCharsets.UTF_8));

            HttpResponse<String> ok = demo.rawPost(ACME_AUTHORIZE, "application/x-www-form-urlencoded", "scope=openid",
                    "Authorization", "Basic " + basic);

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(DemoHttp.json(ok.body())).containsKey("device_code");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/orgs/initech/api/v1/oauth/device_authorization", "/orgs/initech/api/v1/oauth/token",
            "/orgs/ACME/api/v1/oauth/device_authorization", "/orgs/default/api/v1/oauth/device_authorization",
            "/orgs//api/v1/oauth/token"})
    void endpointsWhenOrganisationUnknownThenNotFound(String path) {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> response = demo.devicePost(path, "client_id", "demo-device");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/tokenX", "/oauth2/token/extra", "/oauth2/token/", "/oauth2/device_authorizationX",
            "/oauth2/device_authorization/extra", "/oauth2/revoke/x", "/oauth2/introspectX",
            "/orgs/acme/api/v1/oauth/tokenX", "/orgs/acme/api/v1/oauth/device_authorization/extra"})
    void endpointsWhenPathExtendsAnEndpointPathThenNotFoundAndNothingIssued(String path) {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> response = demo.devicePost(path, "client_id", "demo-device", "scope", "openid");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(response.body()).doesNotContain("device_code", "error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/orgs/initech/device", "/orgs/initech/oauth2/jwks", "/orgs/acme/nope",
            "/orgs/initech/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/orgs/initech",
            "/.well-known/oauth-authorization-server/orgs/default"})
    void pagesWhenOrganisationUnknownThenNotFound(String path) {
        try (DemoHttp demo = new DemoHttp()) {
            assertThat(demo.browser().get(path).statusCode()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("A code of one organisation is unknown in another and on the un-scoped paths")
    void codeWhenUsedInAnotherTenantThenUnknownThereAndValidInItsOwn() throws Exception {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> codes = demo.authorizeAt(ACME_AUTHORIZE, "client_id", "demo-device", "scope", "openid");
            String deviceCode = (String) codes.get("device_code");
            String userCode = (String) codes.get("user_code");

            assertThat(DemoHttp.json(demo.poll(GLOBEX_TOKEN, deviceCode).body())).containsEntry("error", "invalid_grant");
            assertThat(DemoHttp.json(demo.poll(deviceCode).body())).containsEntry("error", "invalid_grant");
            assertThat(DemoHttp.json(demo.poll(ACME_TOKEN, deviceCode).body()))
                    .containsEntry("error", "authorization_pending");
            HttpResponse<String> onGlobex = demo.browser().enterCode("/orgs/globex/device", userCode);
            assertThat(onGlobex.statusCode()).isEqualTo(400);
            assertThat(onGlobex.body()).contains("That code is not valid.")
                    .contains(Pages.escape(VerificationPages.WRONG_ORGANISATION_HINT));
            assertThat(demo.browser().enterCode("/device", userCode).statusCode()).isEqualTo(400);

            demo.browser().approve("/orgs/acme/device", userCode, "alice");
            demo.clock.advance(Duration.ofSeconds(5));
            HttpResponse<String> tokens = demo.poll(ACME_TOKEN, deviceCode);

            assertThat(tokens.statusCode()).isEqualTo(200);
            SignedJWT access = SignedJWT.parse((String) DemoHttp.json(tokens.body()).get("access_token"));
            assertThat(access.getJWTClaimsSet().getIssuer()).isEqualTo(demo.server.issuer() + "/orgs/acme");
            assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        }
    }

    // ---- default device client ----

    @Test
    @DisplayName("D02: no client_id and no credentials → the default device client demo-device")
    void deviceAuthorizationWhenNoClientIdThenDefaultDeviceClient() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> codes = demo.authorizeAt(DemoServer.DEVICE_AUTHORIZATION_PATH, "scope", "openid");
            Map<String, Object> acme = demo.authorizeAt(ACME_AUTHORIZE, "scope", "openid");

            assertThat(codes).containsKeys("device_code", "user_code");
            assertThat(acme).containsKeys("device_code", "user_code");
            HttpResponse<String> poll = demo.devicePost(DemoServer.TOKEN_PATH, "grant_type", DemoHttp.DEVICE_GRANT,
                    "device_code", (String) codes.get("device_code"));
            assertThat(DemoHttp.json(poll.body())).containsEntry("error", "authorization_pending");
            DemoHttp.Browser browser = demo.browser();
            browser.enterCode((String) codes.get("user_code"));
            browser.signIn("alice", "alice");
            assertThat(browser.get("/device/consent").body()).contains("Demo device (demo-device)");
        }
    }

    @Test
    void deviceAuthorizationWhenClientIdUnknownThenStillInvalidClient() {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> response = demo.devicePost(DemoServer.DEVICE_AUTHORIZATION_PATH, "client_id", "nobody");

            // RFC 6749 §5.2 (O12): invalid_client without an Authorization header may be 400
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(DemoHttp.json(response.body())).containsEntry("error", "invalid_client");
        }
    }

    // ---- JSON request bodies ----

    @Test
    void jsonBodiesWhenSnakeCaseThenSameFlowAsForms() throws Exception {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> authorized = demo.rawPost(ACME_AUTHORIZE, "application/json",
                    "{\"client_id\":\"demo-device\",\"scope\":\"openid\",\"device_metadata\":\"Kitchen TV\"}");
            assertThat(authorized.statusCode()).isEqualTo(200);
            Map<String, Object> codes = DemoHttp.json(authorized.body());
            String pollBody = "{\"grant_type\":\"" + DemoHttp.DEVICE_GRANT + "\",\"device_code\":\""
                    + codes.get("device_code") + "\",\"client_id\":\"demo-device\"}";

            assertThat(DemoHttp.json(demo.rawPost(ACME_TOKEN, "application/json", pollBody).body()))
                    .containsEntry("error", "authorization_pending");
            DemoHttp.Browser browser = demo.browser();
            browser.approve("/orgs/acme/device", (String) codes.get("user_code"), "alice");
            assertThat(browser.pagesSeen).anyMatch(page -> page.contains("Kitchen TV"));
            demo.clock.advance(Duration.ofSeconds(5));
            HttpResponse<String> tokens = demo.rawPost(ACME_TOKEN, "application/json", pollBody);
            assertThat(tokens.statusCode()).isEqualTo(200);
            assertThat(SignedJWT.parse((String) DemoHttp.json(tokens.body()).get("access_token"))
                    .getJWTClaimsSet().getSubject()).isEqualTo("alice");
        }
    }

    @Test
    void jsonBodiesWhenCamelCaseThenSameFlowAsForms() {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> authorized = demo.rawPost(DemoServer.DEVICE_AUTHORIZATION_PATH, "application/json",
                    "{\"clientId\":\"demo-device\",\"scope\":\"openid\",\"deviceMetadata\":\"Hall display\"}");
            assertThat(authorized.statusCode()).isEqualTo(200);
            Map<String, Object> codes = DemoHttp.json(authorized.body());
            String pollBody = "{\"grantType\":\"" + DemoHttp.DEVICE_GRANT + "\",\"deviceCode\":\""
                    + codes.get("device_code") + "\",\"clientId\":\"demo-device\"}";

            assertThat(DemoHttp.json(demo.rawPost(DemoServer.TOKEN_PATH, "application/json", pollBody).body()))
                    .containsEntry("error", "authorization_pending");
            DemoHttp.Browser browser = demo.browser();
            browser.approve("/device", (String) codes.get("user_code"), "bob");
            assertThat(browser.pagesSeen).anyMatch(page -> page.contains("Hall display"));
            demo.clock.advance(Duration.ofSeconds(5));
            assertThat(demo.rawPost(DemoServer.TOKEN_PATH, "application/json", pollBody).statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"client_id\":\"demo-device\",\"clientId\":\"demo-device\"}",
            "{\"client_id\":\"demo-device\",\"client_id\":\"demo-device\"}",
            "{\"client_id\":[\"demo-device\"]}", "[\"client_id\"]", "{\"client_id\":"})
    @DisplayName("O07: JSON bodies are held to the form checks: a parameter named twice, or not a string → invalid_request")
    void jsonBodiesWhenRepeatedOrMalformedThenInvalidRequest(String body) {
        try (DemoHttp demo = new DemoHttp()) {
            HttpResponse<String> response = demo.rawPost(DemoServer.DEVICE_AUTHORIZATION_PATH, "application/json", body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(DemoHttp.json(response.body())).containsEntry("error", "invalid_request");
        }
    }

    // ---- settings per tenant and per client ----

    @Test
    @DisplayName("D42: globex issues nine-digit codes valid for 5 minutes; acme keeps XXXX-XXXX and 10 minutes")
    void deviceAuthorizationWhenGlobexThenNineDigitsAndFiveMinutes() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> globex = demo.authorizeAt(GLOBEX_AUTHORIZE, "client_id", "demo-device");
            Map<String, Object> acme = demo.authorizeAt(ACME_AUTHORIZE, "client_id", "demo-device");

            // RFC 8628 §6.1: a numeric code needs at least 9 digits
            assertThat((String) globex.get("user_code")).matches("\\d{3}-\\d{3}-\\d{3}");
            assertThat(((Number) globex.get("expires_in")).intValue()).isEqualTo(300);
            assertThat((String) acme.get("user_code")).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
            assertThat(((Number) acme.get("expires_in")).intValue()).isEqualTo(600);
            assertThat(demo.browser().enterCode("/orgs/globex/device", ((String) globex.get("user_code"))
                    .replace("-", " ")).statusCode()).isEqualTo(303);
        }
    }

    @Test
    void globexCodeWhenFiveMinutesPassedThenExpiredOnPageAndAtTokenEndpoint() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> globex = demo.authorizeAt(GLOBEX_AUTHORIZE, "client_id", "demo-device");
            demo.clock.advance(Duration.ofSeconds(301));

            HttpResponse<String> page = demo.browser().enterCode("/orgs/globex/device", (String) globex.get("user_code"));
            HttpResponse<String> poll = demo.poll(GLOBEX_TOKEN, (String) globex.get("device_code"));

            assertThat(page.statusCode()).isEqualTo(410);
            assertThat(DemoHttp.json(poll.body())).containsEntry("error", "expired_token");
        }
    }

    @Test
    @DisplayName("REQ-UC-4: globex caps pending nine-digit codes at 60 (E_day = 144,000 · 60 / 10^9 = 0.0086 ≤ 0.01)")
    void deviceAuthorizationWhenGlobexHasSixtyPendingThenRefusedWith429() {
        try (DemoHttp demo = new DemoHttp()) {
            for (int i = 0; i < DemoTenant.GLOBEX.maxPendingPerTenant(); i++) {
                demo.authorizeAt(GLOBEX_AUTHORIZE, "client_id", i % 2 == 0 ? "demo-device" : "demo-tv");
            }

            HttpResponse<String> over = demo.devicePost(GLOBEX_AUTHORIZE, "client_id", "demo-device");

            assertThat(over.statusCode()).isEqualTo(429);
            assertThat(DemoHttp.json(over.body())).containsEntry("error", "slow_down");
            assertThat(demo.devicePost(ACME_AUTHORIZE, "client_id", "demo-device").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("D17: demo-tv gets qr_code, a PNG data URI of verification_uri_complete; demo-device does not")
    void deviceAuthorizationWhenDemoTvThenQrCodeOfVerificationUriComplete() throws Exception {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> tv = demo.authorizeAt(ACME_AUTHORIZE, "client_id", "demo-tv");
            Map<String, Object> device = demo.authorizeAt(ACME_AUTHORIZE, "client_id", "demo-device");

            String qr = (String) tv.get("qr_code");
            assertThat(qr).startsWith("data:image/png;base64,");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(qr.substring("data:image/png;base64,".length()))));
            int w = image.getWidth();
            int h = image.getHeight();
            String text = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                    new RGBLuminanceSource(w, h, image.getRGB(0, 0, w, h, null, 0, w)))),
                    Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
            assertThat(text).isEqualTo(tv.get("verification_uri_complete"))
                    .startsWith(demo.server.issuer() + "/orgs/acme/device?user_code=");
            assertThat(device).doesNotContainKey("qr_code");
        }
    }

    // ---- account re-check at redemption (SECURITY-TESTS row 28) ----

    @Test
    @DisplayName("row 28: carol's account is locked: she can approve, but the device gets invalid_grant and no tokens")
    void pollWhenApproverIsLockedFromTheStartThenInvalidGrantAndNoTokens() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> codes = demo.authorize("openid");
            demo.browser().approve("/device", (String) codes.get("user_code"), "carol");
            demo.clock.advance(Duration.ofSeconds(5));

            HttpResponse<String> poll = demo.poll((String) codes.get("device_code"));

            assertThat(poll.statusCode()).isEqualTo(400);
            assertThat(DemoHttp.json(poll.body())).containsEntry("error", "invalid_grant")
                    .doesNotContainKeys("access_token", "id_token");
            assertThat(demo.server.grant().linkedDevices().list(DemoServer.TENANT, "carol")).isEmpty();
        }
    }

    @Test
    @DisplayName("row 28: alice approves, her account is locked before the poll → invalid_grant, and it stays spent")
    void pollWhenApproverLockedAfterApprovalThenInvalidGrantAndNoTokens() {
        try (DemoHttp demo = new DemoHttp()) {
            Map<String, Object> codes = demo.authorizeAt(ACME_AUTHORIZE, "client_id", "demo-device", "scope", "openid");
            demo.browser().approve("/orgs/acme/device", (String) codes.get("user_code"), "alice");
            demo.server.accounts().lock("alice");
            demo.clock.advance(Duration.ofSeconds(5));

            HttpResponse<String> poll = demo.poll(ACME_TOKEN, (String) codes.get("device_code"));
            demo.clock.advance(Duration.ofSeconds(5));
            HttpResponse<String> again = demo.poll(ACME_TOKEN, (String) codes.get("device_code"));

            assertThat(DemoHttp.json(poll.body())).containsEntry("error", "invalid_grant")
                    .doesNotContainKey("access_token");
            assertThat(DemoHttp.json(again.body())).containsEntry("error", "invalid_grant")
                    .doesNotContainKey("access_token");
        }
    }
}
