package org.devicegrant.examples;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.devicegrant.device.CancellationToken;
import org.devicegrant.device.DeviceCodes;
import org.devicegrant.device.DeviceFlowClient;
import org.devicegrant.device.PollListener;
import org.devicegrant.device.TokenResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole flow with a real browser: the demo server on a free port, the device client polling
 * on its own thread, and the user's side done in headless Chromium through the HTML forms.
 * Skips with one line when Chromium or chromedriver is missing, unless
 * {@code DEVICEGRANT_REQUIRE_SERVICES=1}, then fails.
 */
class BrowserEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path CONSENT_SCREENSHOT = Path.of("target", "consent-page.png");

    @TempDir
    Path profile;

    private DemoHttp demo;
    private GatedSleeper sleeper;
    private final CancellationToken cancel = new CancellationToken();
    private final ExecutorService deviceThread = Executors.newSingleThreadExecutor();
    private ChromeDriver browser;

    @BeforeAll
    static void requireChromium() {
        List<String> missing = HeadlessChromium.missing();
        if (!missing.isEmpty() && HeadlessChromium.required()) {
            fail("browser tests need " + missing + " (apt-get install chromium chromium-driver), and "
                    + HeadlessChromium.REQUIRE_SERVICES + "=1 forbids skipping them");
        }
        if (!missing.isEmpty()) {
            System.out.println("BrowserEndToEndTest skipped: " + String.join(" and ", missing)
                    + " missing (apt-get install chromium chromium-driver, or run .ci/services.sh)");
        }
    }

    @BeforeEach
    void start() {
        assumeTrue(HeadlessChromium.missing().isEmpty(), "Chromium or chromedriver missing");
        demo = new DemoHttp();
        sleeper = new GatedSleeper(demo.clock);
        browser = HeadlessChromium.start(profile);
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            cancel.cancel();
            deviceThread.shutdownNow();
            if (demo != null) {
                sleeper.release();
                demo.close();
            }
        }
    }

    @Test
    @DisplayName("D20 D25: approved in the browser, the device gets tokens signed by a key of /oauth2/jwks")
    void flowWhenApprovedInBrowserThenDeviceGetsTokensThatVerifyAgainstJwks() throws Exception {
        DeviceFlowClient client = client();
        DeviceCodes authorization = client.start();
        Future<TokenResult> result = deviceThread.submit(
                () -> client.await(authorization, PollListener.none(), cancel));
        sleeper.awaitHeldAfterFirstPoll();

        openLinkConfirmCodeAndSignIn(authorization);
        Files.write(CONSENT_SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.cssSelector("button[name=decision][value=approve]")).click();
        waitForHeading("Device connected");
        sleeper.release();

        TokenResult outcome = result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(TokenResult.Success.class);
        TokenResult.Success tokens = (TokenResult.Success) outcome;
        JWKSet jwks = JWKSet.load(URI.create(demo.base + Discovery.JWKS).toURL(), 5_000, 5_000, 64 * 1024);
        JWTClaimsSet access = verified(tokens.accessToken(), jwks);
        JWTClaimsSet id = verified(tokens.idToken(), jwks);
        assertThat(access.getSubject()).isEqualTo("alice");
        assertThat(access.getIssuer()).isEqualTo(demo.server.issuer().toString());
        assertThat(access.getStringClaim("client_id")).isEqualTo(DemoServer.PUBLIC_CLIENT);
        assertThat(id.getSubject()).isEqualTo("alice");
        assertThat(id.getAudience()).containsExactly(DemoServer.PUBLIC_CLIENT);
        assertThat(id.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(tokens.scope()).containsExactlyInAnyOrder("openid", "profile", "email");
        // the check can fail: the access token's signature over the ID token's payload does not verify
        assertThat(signatureVerifies(spliced(tokens.accessToken(), tokens.idToken()), jwks)).isFalse();
        assertThat(CONSENT_SCREENSHOT).isNotEmptyFile();
    }

    @Test
    @DisplayName("D28: denied in the browser, the device gets access_denied")
    void flowWhenDeniedInBrowserThenDeviceGetsDenied() throws Exception {
        DeviceFlowClient client = client();
        DeviceCodes authorization = client.start();
        Future<TokenResult> result = deviceThread.submit(
                () -> client.await(authorization, PollListener.none(), cancel));
        sleeper.awaitHeldAfterFirstPoll();

        openLinkConfirmCodeAndSignIn(authorization);
        browser.findElement(By.cssSelector("button[name=decision][value=deny]")).click();
        waitForHeading("Access denied");
        sleeper.release();

        assertThat(result.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(TokenResult.Denied.class);
    }

    /** From verification_uri_complete to the consent page, checking the code on the way. */
    private void openLinkConfirmCodeAndSignIn(DeviceCodes authorization) {
        assertThat(authorization.verificationUriComplete()).isNotNull();
        browser.get(authorization.verificationUriComplete().toString());
        waitForHeading("Connect a device");
        // D20 RFC 8628 §3.3.1: arriving by verification_uri_complete, the page shows the code to compare
        assertThat(browser.findElement(By.cssSelector("p.code")).getText()).isEqualTo(authorization.userCode());
        browser.findElement(By.name("code_matches")).click();
        browser.findElement(By.cssSelector("form[action='/device'] button[type=submit]")).click();

        waitForHeading("Sign in");
        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys("alice");
        browser.findElement(By.cssSelector("form[action='/device/login'] button[type=submit]")).click();

        waitForHeading("Allow a device to use your account?");
        assertThat(browser.findElement(By.cssSelector("p.code")).getText()).isEqualTo(authorization.userCode());
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Signed in as alice")
                .contains("Demo device (demo-device)");
    }

    private void waitForHeading(String heading) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.tagName("h1"), heading));
    }

    private DeviceFlowClient client() {
        return DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(URI.create(demo.base + DemoServer.DEVICE_AUTHORIZATION_PATH))
                .tokenEndpoint(URI.create(demo.base + DemoServer.TOKEN_PATH))
                .clientId(DemoServer.PUBLIC_CLIENT)
                .scope("openid", "profile", "email")
                .clock(demo.clock)
                .sleeper(sleeper)
                .build();
    }

    private static JWTClaimsSet verified(String token, JWKSet jwks) throws Exception {
        assertThat(signatureVerifies(token, jwks)).as("signature verifies against /oauth2/jwks").isTrue();
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private static boolean signatureVerifies(String token, JWKSet jwks) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("key %s in /oauth2/jwks", jwt.getHeader().getKeyID()).isInstanceOf(AsymmetricJWK.class);
        JWSVerifier verifier = new DefaultJWSVerifierFactory()
                .createJWSVerifier(jwt.getHeader(), ((AsymmetricJWK) key).toPublicKey());
        return jwt.verify(verifier);
    }

    /** The header and signature of {@code signatureFrom} around the payload of {@code payloadFrom}. */
    private static String spliced(String signatureFrom, String payloadFrom) throws Exception {
        Base64URL[] signed = SignedJWT.parse(signatureFrom).getParsedParts();
        Base64URL[] other = SignedJWT.parse(payloadFrom).getParsedParts();
        return signed[0] + "." + other[1] + "." + signed[2];
    }
}
