package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DemoServerTest {

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
                    .contains(base + "/.well-known/oauth-authorization-server\n")
                    .contains(base + "/.well-known/openid-configuration\n")
                    .contains("alice / alice, bob / bob")
                    .contains("demo-device (scopes: openid profile email offline_access)")
                    .contains("demo-confidential / demo-secret")
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
}
