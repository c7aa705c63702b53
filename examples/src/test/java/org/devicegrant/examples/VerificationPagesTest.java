package org.devicegrant.examples;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class VerificationPagesTest {

    private final DemoHttp demo = new DemoHttp();

    @AfterEach
    void stop() {
        demo.close();
    }

    // ---- the whole flow through the HTML forms ----

    @Test
    @DisplayName("D15 D16 D20 D36 D37: link → confirm code → sign in → consent → approve → tokens")
    void flowWhenUserApprovesThroughTheFormsThenDeviceGetsTokens() throws Exception {
        Map<String, Object> codes = demo.authorize("openid profile email");
        String deviceCode = (String) codes.get("device_code");
        String userCode = (String) codes.get("user_code");
        URI complete = URI.create((String) codes.get("verification_uri_complete"));
        DemoHttp.Browser browser = demo.browser();

        // RFC 8628 §3.3.1 (D20): arriving via verification_uri_complete, the code is shown and must be confirmed
        HttpResponse<String> entry = browser.get(complete.getRawPath() + "?" + complete.getRawQuery());
        assertThat(entry.statusCode()).isEqualTo(200);
        assertThat(entry.body()).contains("<p class=\"code\">" + userCode + "</p>")
                .contains("name=\"code_matches\"").contains("My device shows this code");
        HttpResponse<String> unconfirmed = browser.post("/device", "csrf", browser.csrf(entry),
                "user_code", userCode, "from_link", "1");
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(unconfirmed.body()).contains("Please confirm that your device shows this code.");
        HttpResponse<String> confirmed = browser.post("/device", "csrf", browser.csrf(entry),
                "user_code", userCode, "from_link", "1", "code_matches", "yes");
        assertThat(confirmed.statusCode()).isEqualTo(303);
        assertThat(confirmed.headers().firstValue("Location")).hasValue("/device/consent");

        HttpResponse<String> needsLogin = browser.get("/device/consent");
        assertThat(needsLogin.statusCode()).isEqualTo(303);
        assertThat(needsLogin.headers().firstValue("Location")).hasValue("/device/login");
        HttpResponse<String> signedIn = browser.signIn("alice", "alice");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/device/consent");

        HttpResponse<String> consent = browser.get("/device/consent");
        assertThat(consent.statusCode()).isEqualTo(200);
        // D36 RFC 8628 §5.4: say a device is being authorised and ask that it is the user's own
        assertThat(consent.body()).contains("A device is asking for access to your account")
                .contains(VerificationPages.DEVICE_WARNING)
                // D37 RFC 8628 §5.4: what is known of the device and the client
                .contains("Demo device (demo-device)").contains("<dt>Device</dt>")
                .contains("<p class=\"code\">" + userCode + "</p>")
                .contains("value=\"openid\" checked").contains("value=\"profile\" checked")
                .contains("value=\"email\" checked").contains("Code expires in").contains("Signed in as");
        assertThat(consent.body().indexOf("value=\"deny\"")).isLessThan(consent.body().indexOf("value=\"approve\""));

        HttpResponse<String> done = browser.post("/device/consent", "csrf", browser.csrf(consent),
                "user_code", DemoHttp.hidden(consent.body(), "user_code"), "scope", "openid", "scope", "profile",
                "scope", "email", "decision", "approve");
        assertThat(done.statusCode()).isEqualTo(200);
        // D15 RFC 8628 §3.3: tell the user to return to the device
        assertThat(done.body()).contains("You can return to your device now");

        demo.clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> tokens = demo.poll(deviceCode);
        assertThat(tokens.statusCode()).isEqualTo(200);
        Map<String, Object> body = DemoHttp.json(tokens.body());
        assertThat(SignedJWT.parse((String) body.get("access_token")).getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet().getStringClaim("email"))
                .isEqualTo("alice@example.com");
        // D16 RFC 8628 §3.3: the device code is never shown to the user
        assertThat(browser.pagesSeen).isNotEmpty().noneMatch(page -> page.contains(deviceCode));
    }

    @Test
    @DisplayName("D28: deny through the form → the device gets access_denied")
    void flowWhenUserDeniesThenDeviceGetsAccessDenied() {
        Map<String, Object> codes = demo.authorize("openid");
        DemoHttp.Browser browser = demo.browser();
        assertThat(browser.enterCode((String) codes.get("user_code")).statusCode()).isEqualTo(303);
        browser.signIn("bob", "bob");
        HttpResponse<String> consent = browser.get("/device/consent");

        HttpResponse<String> done = browser.post("/device/consent", "csrf", browser.csrf(consent),
                "user_code", (String) codes.get("user_code"), "scope", "openid", "decision", "deny");

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Access denied");
        demo.clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> poll = demo.poll((String) codes.get("device_code"));
        assertThat(poll.statusCode()).isEqualTo(400);
        assertThat(DemoHttp.json(poll.body())).containsEntry("error", "access_denied");
    }

    @Test
    void enterCodeWhenTypedInAnyCaseWithSpacesThenFound() {
        String userCode = (String) demo.authorize("openid").get("user_code");
        DemoHttp.Browser browser = demo.browser();

        HttpResponse<String> response = browser.enterCode(" " + userCode.toLowerCase(java.util.Locale.ROOT)
                .replace("-", " ") + " ");

        assertThat(response.statusCode()).isEqualTo(303);
    }

    // ---- CSRF (O18, SECURITY-TESTS row 8) ----

    @Test
    @DisplayName("O18 row 8: approve without or with a wrong CSRF token → 403 and nothing changes")
    void approveWhenCsrfMissingOrWrongThenForbiddenAndNothingChanges() {
        Map<String, Object> codes = demo.authorize("openid");
        String userCode = (String) codes.get("user_code");
        DemoHttp.Browser browser = demo.browser();
        browser.enterCode(userCode);
        browser.signIn("alice", "alice");
        HttpResponse<String> consent = browser.get("/device/consent");
        String rightToken = browser.csrf(consent);

        HttpResponse<String> missing = browser.post("/device/consent", "user_code", userCode, "decision", "approve");
        HttpResponse<String> wrong = browser.post("/device/consent", "csrf", rightToken + "x", "user_code", userCode,
                "decision", "approve");
        HttpResponse<String> repeated = browser.post("/device/consent", "csrf", rightToken, "csrf", rightToken,
                "user_code", userCode, "decision", "approve");

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(repeated.statusCode()).isEqualTo(403);
        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(DemoHttp.json(demo.poll((String) codes.get("device_code")).body()))
                .containsEntry("error", "authorization_pending");
        assertThat(browser.get("/device/consent").body()).contains("Allow a device to use your account?");
    }

    @Test
    @DisplayName("O18: code entry and sign-in without a valid CSRF token → 403 and nothing changes")
    void enterCodeAndSignInWhenCsrfWrongThenForbidden() {
        String userCode = (String) demo.authorize("openid").get("user_code");
        DemoHttp.Browser browser = demo.browser();
        browser.get("/device");

        HttpResponse<String> code = browser.post("/device", "csrf", "forged", "user_code", userCode);
        HttpResponse<String> login = browser.post("/device/login", "csrf", "forged", "username", "alice",
                "password", "alice");
        HttpResponse<String> noSession = demo.browser().post("/device", "user_code", userCode);

        assertThat(code.statusCode()).isEqualTo(403);
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(noSession.statusCode()).isEqualTo(403);
        // not signed in and no code remembered: the consent page sends the browser back to the start
        assertThat(browser.get("/device/consent").headers().firstValue("Location")).hasValue("/device");
        assertThat(browser.get("/device/login").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("O18: a CSRF token is good only with the cookie it was issued for: another browser's token, a page's"
            + " token without its cookie and a made-up cookie are refused, signed in or not")
    void postWhenCsrfTokenOfAnotherBrowserOrCookieMadeUpThenForbiddenAndNothingChanges() {
        Map<String, Object> codes = demo.authorize("openid");
        String userCode = (String) codes.get("user_code");
        DemoHttp.Browser victim = demo.browser();
        victim.get("/device");
        DemoHttp.Browser attacker = demo.browser();
        String attackerToken = attacker.csrf(attacker.get("/device"));

        HttpResponse<String> code = victim.post("/device", "csrf", attackerToken, "user_code", userCode);
        HttpResponse<String> login = victim.post("/device/login", "csrf", attackerToken, "username", "alice",
                "password", "alice");
        HttpResponse<String> withoutCookie = demo.rawPost("/device", "application/x-www-form-urlencoded",
                DemoHttp.form("csrf", attackerToken, "user_code", userCode));
        HttpResponse<String> madeUpCookie = demo.rawPost("/device", "application/x-www-form-urlencoded",
                DemoHttp.form("csrf", attackerToken, "user_code", userCode),
                "Cookie", Sessions.COOKIE + "=" + attackerToken + ".0..x");

        assertThat(code.statusCode()).isEqualTo(403);
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(withoutCookie.statusCode()).isEqualTo(403);
        assertThat(madeUpCookie.statusCode()).isEqualTo(403);
        assertThat(victim.get("/device/consent").headers().firstValue("Location")).hasValue("/device");

        // signed in: the token of bob's session does not approve in alice's
        victim.enterCode(userCode);
        victim.signIn("alice", "alice");
        attacker.signIn("bob", "bob");
        String bobsToken = attacker.csrf(attacker.get("/device"));
        HttpResponse<String> approve = victim.post("/device/consent", "csrf", bobsToken, "user_code", userCode,
                "scope", "openid", "decision", "approve");

        assertThat(approve.statusCode()).isEqualTo(403);
        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(DemoHttp.json(demo.poll((String) codes.get("device_code")).body()))
                .containsEntry("error", "authorization_pending");
    }

    @Test
    @DisplayName("row 8: session B posting approve for a code only session A looked up → 403")
    void approveWhenSessionDidNotLookTheCodeUpThenForbidden() {
        Map<String, Object> codes = demo.authorize("openid");
        String victimCode = (String) codes.get("user_code");
        DemoHttp.Browser a = demo.browser();
        a.enterCode(victimCode);
        a.signIn("alice", "alice");
        DemoHttp.Browser b = demo.browser();
        b.signIn("bob", "bob");
        String ownCode = (String) demo.authorize("openid").get("user_code");
        b.enterCode(ownCode);
        HttpResponse<String> bConsent = b.get("/device/consent");

        HttpResponse<String> attack = b.post("/device/consent", "csrf", b.csrf(bConsent), "user_code", victimCode,
                "scope", "openid", "decision", "approve");

        assertThat(attack.statusCode()).isEqualTo(403);
        assertThat(attack.body()).contains("not checked in this browser session");
        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(DemoHttp.json(demo.poll((String) codes.get("device_code")).body()))
                .containsEntry("error", "authorization_pending");
        assertThat(a.get("/device/consent").body()).contains("Allow a device to use your account?");
    }

    @Test
    void approveWhenSignedInButNoCodeLookedUpThenForbidden() {
        Map<String, Object> codes = demo.authorize("openid");
        DemoHttp.Browser b = demo.browser();
        b.signIn("bob", "bob");
        HttpResponse<String> entry = b.get("/device");

        HttpResponse<String> attack = b.post("/device/consent", "csrf", b.csrf(entry),
                "user_code", (String) codes.get("user_code"), "decision", "deny");

        assertThat(attack.statusCode()).isEqualTo(403);
        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(DemoHttp.json(demo.poll((String) codes.get("device_code")).body()))
                .containsEntry("error", "authorization_pending");
    }

    // ---- GET never changes state (SECURITY-TESTS row 18) ----

    @Test
    @DisplayName("row 18: GETs of the pages, with the code and a decision in the query, change nothing")
    void getWhenRepeatedWithCodeAndDecisionInQueryThenNothingChanges() {
        Map<String, Object> codes = demo.authorize("openid");
        String userCode = (String) codes.get("user_code");
        DemoHttp.Browser browser = demo.browser();
        browser.enterCode(userCode);
        browser.signIn("alice", "alice");

        for (int i = 0; i < 3; i++) {
            browser.get("/device?user_code=" + userCode);
            browser.get("/device/consent");
            browser.get("/device/consent?user_code=" + userCode + "&decision=approve&scope=openid");
            browser.get("/device/login?decision=approve");
        }

        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(DemoHttp.json(demo.poll((String) codes.get("device_code")).body()))
                .containsEntry("error", "authorization_pending");
        assertThat(demo.browser().enterCode(userCode).statusCode()).isEqualTo(303);
    }

    // ---- failures the user is told about ----

    @Test
    @DisplayName("D33 RFC 8628 §5.1: the sixth attempt is refused and the page says when to retry")
    void enterCodeWhenTooManyWrongCodesThenToldWhenToRetry() {
        String userCode = (String) demo.authorize("openid").get("user_code");
        DemoHttp.Browser browser = demo.browser();
        String wrong = userCode.startsWith("B") ? "CCCC-CCCC" : "BBBB-BBBB";
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> miss = browser.enterCode(wrong);
            assertThat(miss.statusCode()).isEqualTo(400);
            assertThat(miss.body()).contains("That code is not valid.");
        }

        // RFC 8628 §5.1: rate-limit user code attempts; a refused attempt is not evaluated, even when right
        HttpResponse<String> refused = browser.enterCode(userCode);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).containsPattern("Too many attempts; try again in \\d+ seconds\\.");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
    }

    @Test
    void enterCodeWhenExpiredThenToldToStartAgain() {
        String userCode = (String) demo.authorize("openid").get("user_code");
        demo.clock.advance(Duration.ofSeconds(601));

        HttpResponse<String> response = demo.browser().enterCode(userCode);

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.body()).contains("This code has expired. Start again on your device");
    }

    @Test
    void enterCodeWhenAlreadyApprovedThenToldItWasUsed() {
        String userCode = (String) demo.authorize("openid").get("user_code");
        DemoHttp.Browser first = demo.browser();
        first.enterCode(userCode);
        first.signIn("alice", "alice");
        HttpResponse<String> consent = first.get("/device/consent");
        first.post("/device/consent", "csrf", first.csrf(consent), "user_code", userCode, "scope", "openid",
                "decision", "approve");

        HttpResponse<String> again = demo.browser().enterCode(userCode);

        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("This code has already been used.");
    }

    @Test
    void enterCodeWhenUnknownThenNotValid() {
        HttpResponse<String> response = demo.browser().enterCode("nonsense");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("That code is not valid.");
    }

    @Test
    void signInWhenPasswordWrongThenRefusedAndNotSignedIn() {
        DemoHttp.Browser browser = demo.browser();

        HttpResponse<String> response = browser.signIn("alice", "bob");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Wrong username or password.");
        assertThat(browser.get("/device/login").statusCode()).isEqualTo(200);
    }

    @Test
    void signInWhenSucceededThenSessionIdChanges() {
        DemoHttp.Browser browser = demo.browser();
        HttpResponse<String> login = browser.get("/device/login");
        String before = cookie(login);

        HttpResponse<String> signedIn = browser.post("/device/login", "csrf", browser.csrf(login),
                "username", "alice", "password", "alice");

        assertThat(cookie(signedIn)).isNotEqualTo(before);
        assertThat(signedIn.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).contains("HttpOnly").contains("SameSite=Lax"));
    }

    // ---- abuse: floods and guessing (issue 13, "The demo's pages") ----

    @Test
    @DisplayName("12,000 cookie-less GET and HEAD requests keep no state: visitors from before and after the flood"
            + " enter a code, sign in and approve")
    void pagesWhenFloodedWithCookielessRequestsThenRealVisitorsAreServed() throws Exception {
        String pages = "/orgs/acme/device";
        DemoHttp.Browser before = demo.browser();
        HttpResponse<String> loadedBeforeFlood = before.get(pages);

        // more requests than the 10,000 sessions an organisation's pages may keep
        int requests = 12_000;
        int threads = 4;
        HttpClient cookieless = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService flooders = Executors.newFixedThreadPool(threads);
        List<Future<Map<Integer, Integer>>> statuses = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            statuses.add(flooders.submit(() -> {
                Map<Integer, Integer> counted = new TreeMap<>();
                for (int i = 0; i < requests / threads; i++) {
                    String method = i % 2 == 0 ? "HEAD" : "GET";
                    String path = i % 3 == 0 ? pages + "/login" : pages;
                    int status = cookieless.send(HttpRequest.newBuilder(URI.create(demo.base + path))
                                    .method(method, HttpRequest.BodyPublishers.noBody())
                                    .timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    counted.merge(status, 1, Integer::sum);
                }
                return counted;
            }));
        }
        Map<Integer, Integer> flood = new TreeMap<>();
        for (Future<Map<Integer, Integer>> counted : statuses) {
            counted.get(5, TimeUnit.MINUTES).forEach((status, n) -> flood.merge(status, n, Integer::sum));
        }
        flooders.shutdown();
        assertThat(flood).containsExactly(Map.entry(200, requests));

        // the visitor who loaded the page before the flood submits a valid code with that page's form
        Map<String, Object> first = demo.authorizeAt("/orgs/acme/api/v1/oauth/device_authorization",
                "client_id", "demo-device", "scope", "openid");
        HttpResponse<String> submitted = before.post(pages, "csrf", before.csrf(loadedBeforeFlood),
                "user_code", (String) first.get("user_code"));
        assertThat(submitted.statusCode()).isEqualTo(303);
        assertThat(before.signIn(pages, "alice", "alice").statusCode()).isEqualTo(303);
        HttpResponse<String> consent = before.get(pages + "/consent");
        assertThat(before.post(pages + "/consent", "csrf", before.csrf(consent), "user_code",
                DemoHttp.hidden(consent.body(), "user_code"), "scope", "openid", "decision", "approve").body())
                .contains("Device connected");
        // and a new visitor after the flood goes through the whole flow
        Map<String, Object> second = demo.authorizeAt("/orgs/acme/api/v1/oauth/device_authorization",
                "client_id", "demo-device", "scope", "openid");
        demo.browser().approve(pages, (String) second.get("user_code"), "bob");

        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(demo.poll("/orgs/acme/api/v1/oauth/token", (String) first.get("device_code")).statusCode())
                .isEqualTo(200);
        assertThat(demo.poll("/orgs/acme/api/v1/oauth/token", (String) second.get("device_code")).statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("Sign-in guessing: after 5 wrong passwords for alice from one address, that address is refused for"
            + " alice, even with the right password, on a page that says so; alice at another address signs in at"
            + " once and approves, bob at the guessing address too")
    void signInWhenWrongPasswordsForAnAccountFromOneAddressThenOnlyThatAddressIsThrottledForIt() {
        DemoHttp.Browser guesser = demo.browser();
        for (int i = 0; i < 5; i++) {
            assertThat(guesser.signIn("alice", "guess-" + i).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> throttled = guesser.signIn("alice", "guess-5");
        HttpResponse<String> rightButThrottled = guesser.signIn("alice", "alice");

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).containsPattern(
                "Too many failed sign-ins from your address\\. Try again in \\d+ seconds\\.");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
        assertThat(rightButThrottled.statusCode()).isEqualTo(429);
        assertThat(guesser.get("/device/devices").headers().firstValue("Location")).hasValue("/device/login");

        // the account is not locked: alice at another address signs in at once and approves her device
        Map<String, Object> codes = demo.authorize("openid");
        BrowserAtAddress alice = new BrowserAtAddress("127.0.0.2", demo.server.port());
        BrowserAtAddress.Response entry = alice.get("/device");
        assertThat(alice.post("/device", "csrf", DemoHttp.hidden(entry.body(), VerificationPages.CSRF),
                "user_code", (String) codes.get("user_code")).status()).isEqualTo(303);
        BrowserAtAddress.Response signedIn = alice.signIn("/device", "alice", "alice");
        assertThat(signedIn.status()).isEqualTo(303);
        assertThat(signedIn.header("Location")).hasValue("/device/consent");
        BrowserAtAddress.Response consent = alice.get("/device/consent");
        assertThat(consent.body()).contains("Signed in as <strong>alice</strong>");
        assertThat(alice.post("/device/consent", "csrf", DemoHttp.hidden(consent.body(), VerificationPages.CSRF),
                "user_code", DemoHttp.hidden(consent.body(), "user_code"), "scope", "openid", "decision", "approve")
                .body()).contains("Device connected");
        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(demo.poll((String) codes.get("device_code")).statusCode()).isEqualTo(200);
        // another account from the guessing address is not refused either
        assertThat(demo.browser().signIn("bob", "bob").statusCode()).isEqualTo(303);
        // and once the lockout has passed, the guessing address may sign in as alice again
        demo.clock.advance(Duration.ofSeconds(61));
        assertThat(guesser.signIn("alice", "alice").statusCode()).isEqualTo(303);
    }

    // ---- headers and content of every page (O18, B07, B09, B11, row 21) ----

    @ParameterizedTest
    @ValueSource(strings = {"GET /device", "GET /device?user_code=WDJB-MJHT", "GET /device/login",
            "GET /device/consent", "GET /device/nope", "GET /devices", "GET /", "GET /nope", "POST /device",
            "POST /device/consent", "POST /device/login", "PUT /device", "DELETE /device/consent",
            "GET /device/qr.png?user_code=bad", "GET /device/qr.svg?user_code=WDJB-MJHT", "GET /device/style.css",
            "GET /device/devices", "POST /device/devices", "GET /orgs/acme/device", "POST /orgs/acme/device",
            "GET /orgs/globex/device/login", "GET /orgs/acme/device/devices", "GET /orgs/nope/device",
            "GET /orgs/acme/nope"})
    @DisplayName("O18 B07 B09 B11: every page, errors included, forbids framing and referrers and is not stored")
    void everyPageWhenRequestedThenCarriesSecurityHeaders(String request) {
        String[] parts = request.split(" ");
        HttpResponse<String> response = demo.browser().send(HttpRequest.newBuilder(URI.create(demo.base + parts[1]))
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(parts[0], HttpRequest.BodyPublishers.ofString("user_code=WDJB-MJHT")));

        // RFC 9700 §4.16 (B11) / RFC 6749 §10.13 (O18): prevent clickjacking
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'self'"));
        // RFC 9700 §4.2 (B09): the code in verification_uri_complete must not leak through Referer
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        // RFC 9700 §2.6 (B07): no CORS on the user-facing endpoint
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.body()).doesNotContain("<script").doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    @Test
    void entryWhenQueryCarriesMarkupThenNothingIsEchoed() {
        HttpResponse<String> page = demo.browser().get("/device?user_code=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<script").doesNotContain("alert(1)");
    }

    // ---- QR codes of verification_uri_complete ----

    @Test
    @DisplayName("D17: the QR PNG decodes to verification_uri_complete")
    void qrPngWhenCodeWellFormedThenDecodesToVerificationUriComplete() throws Exception {
        HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(demo.base + "/device/qr.png?user_code=wdjb%20mjht")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        int w = image.getWidth();
        int h = image.getHeight();
        String text = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(w, h, image.getRGB(0, 0, w, h, null, 0, w)))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        assertThat(text).isEqualTo(demo.server.issuer() + "/device?user_code=WDJB-MJHT");
    }

    @Test
    void qrSvgWhenCodeWellFormedThenSvgAndWhenMalformedThenBadRequest() {
        HttpResponse<String> svg = demo.browser().get("/device/qr.svg?user_code=WDJB-MJHT");
        HttpResponse<String> bad = demo.browser().get("/device/qr.svg?user_code=WDJB");

        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(svg.body()).contains("<svg");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    private static String cookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Sessions.COOKIE + "="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst().orElseThrow();
    }

    // ---- organisations ----

    @Test
    @DisplayName("An organisation's pages name it and ask the user to check they are on the right organisation's page")
    void entryWhenOrganisationThenNamesItAndWarnsToCheckTheOrganisation() {
        HttpResponse<String> acme = demo.browser().get("/orgs/acme/device");
        HttpResponse<String> plain = demo.browser().get("/device");

        assertThat(acme.statusCode()).isEqualTo(200);
        assertThat(acme.body()).contains("Organisation: <strong>Acme Corporation</strong> (acme)")
                .contains(Pages.escape(VerificationPages.WRONG_ORGANISATION_HINT))
                .contains("action=\"/orgs/acme/device\"");
        assertThat(acme.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).contains("Path=/orgs/acme/device;"));
        assertThat(plain.body()).doesNotContain("Organisation:");
    }

    @Test
    void consentWhenOrganisationThenNamesItAndRedirectsStayInTheOrganisation() {
        String userCode = (String) demo.authorizeAt("/orgs/globex/api/v1/oauth/device_authorization",
                "client_id", "demo-device").get("user_code");
        DemoHttp.Browser browser = demo.browser();

        HttpResponse<String> entered = browser.enterCode("/orgs/globex/device", userCode);
        HttpResponse<String> signedIn = browser.signIn("/orgs/globex/device", "alice", "alice");
        HttpResponse<String> consent = browser.get("/orgs/globex/device/consent");

        assertThat(entered.headers().firstValue("Location")).hasValue("/orgs/globex/device/consent");
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/orgs/globex/device/consent");
        assertThat(consent.body()).contains("Globex Inc.").contains("<p class=\"code\">" + userCode + "</p>")
                .contains("action=\"/orgs/globex/device/consent\"");
        // a session of one organisation is not one of another's
        assertThat(browser.get("/device/consent").headers().firstValue("Location")).hasValue("/device");
    }

    // ---- device metadata on the consent screen (RFC 8628 §5.4) ----

    @Test
    @DisplayName("D37: the consent screen shows device_metadata, IP address, User-Agent and when, all HTML-escaped")
    void consentWhenDeviceSentMetadataAndUserAgentThenShownEscaped() {
        HttpResponse<String> authorized = demo.rawPost(DemoServer.DEVICE_AUTHORIZATION_PATH,
                "application/x-www-form-urlencoded", DemoHttp.form("client_id", "demo-device", "scope", "openid",
                        "device_metadata", "<script>alert(1)</script> Living room \"TV\""),
                "User-Agent", "<script>ua()</script> SmartTV/2.0");
        Map<String, Object> codes = DemoHttp.json(authorized.body());
        demo.clock.advance(Duration.ofSeconds(42));
        DemoHttp.Browser browser = demo.browser();
        browser.enterCode((String) codes.get("user_code"));
        browser.signIn("alice", "alice");

        HttpResponse<String> consent = browser.get("/device/consent");

        // RFC 8628 §5.4 (D37): display information about the device, so impersonation can be noticed
        assertThat(consent.body())
                .contains("Device says: <span class=\"metadata\">&lt;script&gt;alert(1)&lt;/script&gt; Living room "
                        + "&quot;TV&quot;</span>")
                .contains("IP address: <span class=\"metadata\">127.0.0.1</span>")
                .contains("User-Agent: <span class=\"metadata\">&lt;script&gt;ua()&lt;/script&gt; SmartTV/2.0</span>")
                .contains("<dt>Requested at</dt><dd>2026-11-23 10:00:00 UTC</dd>")
                .doesNotContain("<script").doesNotContain("alert(1)</script>");
    }

    @Test
    void deviceAuthorizationWhenDeviceMetadataTooLongThenInvalidRequest() {
        HttpResponse<String> response = demo.devicePost(DemoServer.DEVICE_AUTHORIZATION_PATH, "client_id", "demo-device",
                "device_metadata", "x".repeat(257));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(DemoHttp.json(response.body())).containsEntry("error", "invalid_request");
    }

    // ---- linked devices ----

    /** A full flow: authorize with metadata, alice approves on {@code pages}, the device gets tokens. */
    private String linkDevice(String authorizePath, String tokenPath, String pages, DemoHttp.Browser alice) {
        Map<String, Object> codes = demo.authorizeAt(authorizePath, "client_id", "demo-device", "scope", "openid profile",
                "device_metadata", "Living room TV");
        alice.approve(pages, (String) codes.get("user_code"), "alice");
        demo.clock.advance(Duration.ofSeconds(5));
        assertThat(demo.poll(tokenPath, (String) codes.get("device_code")).statusCode()).isEqualTo(200);
        return DemoHttp.hidden(alice.get(pages + "/devices").body(), "authorization_id");
    }

    @Test
    @DisplayName("Your devices: after a full flow the device is listed; Unlink removes it and calls the revocation hook")
    void devicesWhenFlowCompletedThenListedAndUnlinkRemovesItAndRevokes() {
        DemoHttp.Browser alice = demo.browser();
        String authorizationId = linkDevice(DemoServer.DEVICE_AUTHORIZATION_PATH, DemoServer.TOKEN_PATH, "/device", alice);

        HttpResponse<String> listed = alice.get("/device/devices");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("<h2>Demo device (demo-device)</h2>")
                .contains("Device says: <span class=\"metadata\">Living room TV</span>")
                .contains("<dt>Access</dt><dd>openid profile</dd>")
                .contains("<dt>First used</dt><dd>2026-11-23 10:00:05 UTC</dd>")
                .contains("<dt>Last used</dt><dd>2026-11-23 10:00:05 UTC</dd>")
                .contains("action=\"/device/devices\"").contains(">Unlink</button>");
        assertThat(demo.server.revocations().revoked()).isEmpty();

        HttpResponse<String> unlinked = alice.post("/device/devices", "csrf", alice.csrf(listed),
                "authorization_id", authorizationId);

        assertThat(unlinked.statusCode()).isEqualTo(200);
        assertThat(unlinked.body()).contains("Device unlinked.").contains("No devices are linked to your account.")
                .doesNotContain("Living room TV");
        assertThat(demo.server.revocations().revoked())
                .containsExactly(new DemoRevocations.Revocation("default", "alice", authorizationId));
        assertThat(demo.server.grant().linkedDevices().list("default", "alice")).isEmpty();
    }

    @Test
    @DisplayName("Another user cannot unlink alice's device: 403, still listed, no revocation")
    void unlinkWhenAnotherUsersDeviceThenForbiddenAndNothingChanges() {
        DemoHttp.Browser alice = demo.browser();
        String authorizationId = linkDevice(DemoServer.DEVICE_AUTHORIZATION_PATH, DemoServer.TOKEN_PATH, "/device", alice);
        DemoHttp.Browser bob = demo.browser();
        bob.signIn("bob", "bob");
        HttpResponse<String> bobsPage = bob.get("/device/devices");

        // bob's own, valid CSRF token (his empty devices page has no form; the entry page has one)
        HttpResponse<String> attack = bob.post("/device/devices", "csrf", bob.csrf(bob.get("/device")),
                "authorization_id", authorizationId);

        assertThat(bobsPage.body()).contains("No devices are linked to your account.");
        assertThat(attack.statusCode()).isEqualTo(403);
        assertThat(attack.body()).contains("That device is not linked to your account. Nothing was changed.");
        assertThat(demo.server.revocations().revoked()).isEmpty();
        assertThat(alice.get("/device/devices").body()).contains("Living room TV");
    }

    @Test
    @DisplayName("O18: Unlink without the session's CSRF token → 403, nothing changes")
    void unlinkWhenCsrfMissingOrWrongThenForbiddenAndNothingChanges() {
        DemoHttp.Browser alice = demo.browser();
        String authorizationId = linkDevice(DemoServer.DEVICE_AUTHORIZATION_PATH, DemoServer.TOKEN_PATH, "/device", alice);

        HttpResponse<String> missing = alice.post("/device/devices", "authorization_id", authorizationId);
        HttpResponse<String> wrong = alice.post("/device/devices", "csrf", "forged", "authorization_id", authorizationId);

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(demo.server.revocations().revoked()).isEmpty();
        assertThat(alice.get("/device/devices").body()).contains("Living room TV");
    }

    @Test
    void devicesWhenNotSignedInThenSentToSignIn() {
        HttpResponse<String> response = demo.browser().get("/orgs/acme/device/devices");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/orgs/acme/device/login");
    }

    @Test
    void devicesWhenOrganisationThenListsOnlyThatOrganisationsDevices() {
        DemoHttp.Browser aliceAtAcme = demo.browser();
        String acmeId = linkDevice("/orgs/acme/api/v1/oauth/device_authorization", "/orgs/acme/api/v1/oauth/token",
                "/orgs/acme/device", aliceAtAcme);
        DemoHttp.Browser alice = demo.browser();
        alice.signIn("alice", "alice");

        assertThat(alice.get("/device/devices").body()).contains("No devices are linked to your account.");
        HttpResponse<String> acmePage = aliceAtAcme.get("/orgs/acme/device/devices");
        assertThat(acmePage.body()).contains("Living room TV").contains("action=\"/orgs/acme/device/devices\"");

        HttpResponse<String> unlinked = aliceAtAcme.post("/orgs/acme/device/devices", "csrf",
                aliceAtAcme.csrf(acmePage), "authorization_id", acmeId);

        assertThat(unlinked.statusCode()).isEqualTo(200);
        assertThat(demo.server.revocations().revoked())
                .containsExactly(new DemoRevocations.Revocation("acme", "alice", acmeId));
    }
}
