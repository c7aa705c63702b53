package org.devicegrant.examples;

import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final Sessions sessions = new Sessions(clock, new SecureRandom());

    @Test
    void findWhenCookieNamesALiveSessionThenFoundInEitherCookieSyntax() {
        Sessions.Session session = sessions.signIn(sessions.anonymous(), "alice", "ip:192.0.2.1");

        assertThat(sessions.find(List.of("other=1; " + Sessions.COOKIE + "=" + session.id()))).hasValue(session);
        // java.net.CookieManager sends RFC 2965 syntax with a quoted value
        assertThat(sessions.find(List.of("$Version=\"1\"; " + Sessions.COOKIE + "=\"" + session.id()
                + "\";$Path=\"/device\""))).hasValue(session);
        assertThat(sessions.find(List.of(Sessions.COOKIE + "=" + session.id() + "x"))).isEmpty();
        assertThat(sessions.find(List.of())).isEmpty();
    }

    @Test
    void findWhenIdleForTheTimeoutThenGoneButActivityKeepsItAlive() {
        Sessions.Session session = sessions.signIn(sessions.anonymous(), "alice", "ip:192.0.2.1");
        List<String> cookie = List.of(Sessions.COOKIE + "=" + session.id());

        clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
        assertThat(sessions.find(cookie)).isPresent();
        clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
        assertThat(sessions.find(cookie)).isPresent();
        clock.advance(Sessions.IDLE_TIMEOUT);

        assertThat(sessions.find(cookie)).isEmpty();
    }

    @Test
    void signInWhenCalledThenNewIdAndCsrfTokenOldIdGoneAndLookedUpCodeKept() {
        Sessions.Session anonymous = sessions.anonymous().withUserCode("WDJBMJHT");
        List<String> anonymousCookie = cookieOf(sessions.save(anonymous));
        clock.advance(Duration.ofSeconds(3));

        Sessions.Session signedIn = sessions.signIn(sessions.find(anonymousCookie).orElseThrow(), "alice",
                "ip:192.0.2.1");
        Sessions.Session replaced = sessions.signIn(signedIn, "bob", "ip:192.0.2.1");

        assertThat(signedIn.id()).isNotEqualTo(anonymous.id());
        assertThat(signedIn.csrfToken()).isNotEqualTo(anonymous.csrfToken());
        assertThat(signedIn.subject()).isEqualTo("alice");
        assertThat(signedIn.authTime()).isEqualTo(clock.instant());
        assertThat(signedIn.userCode()).isEqualTo("WDJBMJHT");
        assertThat(sessions.find(List.of(Sessions.COOKIE + "=" + signedIn.id()))).isEmpty();
        assertThat(sessions.find(cookieOf(sessions.cookie(replaced)))).hasValueSatisfying(s ->
                assertThat(s.subject()).isEqualTo("bob"));
    }

    // ---- anonymous sessions live in their cookie ----

    @Test
    @DisplayName("12,000 anonymous sessions, each given a code, store nothing; a sign-in afterwards is kept")
    void anonymousWhenManyCreatedAndSavedThenNothingIsStoredAndSignInStillWorks() {
        for (int i = 0; i < 12_000; i++) {
            Sessions.Session anonymous = sessions.anonymous();
            sessions.cookie(anonymous);
            sessions.save(anonymous.withUserCode("WDJBMJHT"));
        }
        assertThat(sessions.stored()).isZero();

        Sessions.Session signedIn = sessions.signIn(sessions.anonymous(), "alice", "ip:192.0.2.1");

        assertThat(sessions.stored()).isOne();
        assertThat(sessions.find(cookieOf(sessions.cookie(signedIn)))).hasValue(signedIn);
    }

    @Test
    void findWhenAnonymousCookieSavedWithACodeThenReadBackWithItsNonceTokenAndCode() {
        Sessions.Session anonymous = sessions.anonymous();
        List<String> withoutCode = cookieOf(sessions.cookie(anonymous));
        List<String> withCode = cookieOf(sessions.save(anonymous.withUserCode("WDJBMJHT")));

        assertThat(sessions.find(withoutCode)).hasValueSatisfying(s -> {
            assertThat(s.id()).isEqualTo(anonymous.id());
            assertThat(s.csrfToken()).isEqualTo(anonymous.csrfToken());
            assertThat(s.signedIn()).isFalse();
            assertThat(s.userCode()).isNull();
        });
        assertThat(sessions.find(withCode)).hasValueSatisfying(s -> {
            assertThat(s.csrfToken()).isEqualTo(anonymous.csrfToken());
            assertThat(s.userCode()).isEqualTo("WDJBMJHT");
        });
        assertThat(sessions.stored()).isZero();
    }

    @Test
    @DisplayName("An anonymous cookie whose nonce, time, code or signature was changed, or of other pages, is no session")
    void findWhenAnonymousCookieAlteredOrOfOtherPagesThenEmpty() {
        String value = valueOf(sessions.save(sessions.anonymous().withUserCode("WDJBMJHT")));
        String[] parts = value.split("\\.", -1);
        String otherCode = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("ABCDEFGH".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        Sessions otherPages = new Sessions(clock, new SecureRandom(), "/orgs/acme/device");

        assertThat(sessions.find(cookie(value))).isPresent();
        assertThat(sessions.find(cookie(parts[0] + "x." + parts[1] + "." + parts[2] + "." + parts[3]))).isEmpty();
        assertThat(sessions.find(cookie(parts[0] + "." + (Long.parseLong(parts[1]) + 600) + "." + parts[2] + "."
                + parts[3]))).isEmpty();
        assertThat(sessions.find(cookie(parts[0] + "." + parts[1] + "." + otherCode + "." + parts[3]))).isEmpty();
        assertThat(sessions.find(cookie(parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3] + "x"))).isEmpty();
        assertThat(sessions.find(cookie(parts[0] + "." + parts[1] + "." + parts[2]))).isEmpty();
        assertThat(sessions.find(cookie("..."))).isEmpty();
        assertThat(otherPages.find(cookie(value))).isEmpty();
    }

    @Test
    void findWhenAnonymousCookieIssuedTheIdleTimeoutAgoThenEmptyButSavingRenewsIt() {
        Sessions.Session anonymous = sessions.anonymous().withUserCode("WDJBMJHT");
        List<String> first = cookieOf(sessions.save(anonymous));
        clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
        List<String> renewed = cookieOf(sessions.save(sessions.find(first).orElseThrow()));

        clock.advance(Duration.ofSeconds(1));

        assertThat(sessions.find(first)).isEmpty();
        assertThat(sessions.find(renewed)).hasValueSatisfying(s -> assertThat(s.userCode()).isEqualTo("WDJBMJHT"));
    }

    // ---- bounds on the signed-in sessions ----

    @Test
    @DisplayName("A full table ends the least recently seen session instead of refusing a sign-in")
    void signInWhenTableFullThenLeastRecentlySeenEndsAndTheNewOneIsKept() {
        Sessions small = new Sessions(clock, new SecureRandom(), "/device", 3, 3);
        List<Sessions.Session> signedIn = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            signedIn.add(small.signIn(small.anonymous(), "user" + i, "ip:192.0.2." + i));
            clock.advance(Duration.ofSeconds(1));
        }
        small.find(cookieOf(small.cookie(signedIn.get(0))));

        Sessions.Session newest = small.signIn(small.anonymous(), "alice", "ip:198.51.100.7");

        assertThat(small.stored()).isEqualTo(3);
        assertThat(small.find(cookieOf(small.cookie(newest)))).isPresent();
        assertThat(small.find(cookieOf(small.cookie(signedIn.get(0))))).isPresent();
        assertThat(small.find(cookieOf(small.cookie(signedIn.get(1))))).isEmpty();
        assertThat(small.find(cookieOf(small.cookie(signedIn.get(2))))).isPresent();
    }

    @Test
    @DisplayName("Sign-ins from one address beyond its share end only that address's oldest sessions")
    void signInWhenOneAddressHasItsShareThenOnlyItsOwnOldestSessionEnds() {
        Sessions small = new Sessions(clock, new SecureRandom(), "/device", 100, 2);
        Sessions.Session other = small.signIn(small.anonymous(), "bob", "ip:198.51.100.7");
        List<Sessions.Session> flooder = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofSeconds(1));
            flooder.add(small.signIn(small.anonymous(), "alice", "ip:192.0.2.1"));
        }

        assertThat(small.stored()).isEqualTo(3);
        assertThat(small.find(cookieOf(small.cookie(other)))).isPresent();
        assertThat(small.find(cookieOf(small.cookie(flooder.get(49))))).isPresent();
        assertThat(small.find(cookieOf(small.cookie(flooder.get(48))))).isPresent();
        assertThat(small.find(cookieOf(small.cookie(flooder.get(47))))).isEmpty();
    }

    // ---- CSRF tokens and cookies ----

    @Test
    void csrfMatchesOnlyTheSessionsOwnToken() {
        Sessions.Session a = sessions.anonymous();
        Sessions.Session b = sessions.anonymous();
        Sessions.Session signedIn = sessions.signIn(a, "alice", "ip:192.0.2.1");

        assertThat(a.csrfMatches(a.csrfToken())).isTrue();
        assertThat(a.csrfMatches(b.csrfToken())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(a.csrfMatches("")).isFalse();
        assertThat(signedIn.csrfMatches(a.csrfToken())).isFalse();
        assertThat(signedIn.csrfMatches(signedIn.csrfToken())).isTrue();
    }

    @Test
    void cookieWhenRenderedThenHttpOnlySameSiteLaxAndScopedToThePages() {
        Sessions.Session anonymous = sessions.anonymous();
        Sessions.Session signedIn = sessions.signIn(anonymous, "alice", "ip:192.0.2.1");

        assertThat(sessions.cookie(anonymous)).startsWith(Sessions.COOKIE + "=" + anonymous.id() + ".")
                .contains("; HttpOnly").contains("; SameSite=Lax").contains("; Path=/device");
        assertThat(sessions.cookie(signedIn)).startsWith(Sessions.COOKIE + "=" + signedIn.id() + ";")
                .contains("; HttpOnly").contains("; SameSite=Lax").contains("; Path=/device");
    }

    @Test
    void cookieWhenSessionsOfAnOrganisationThenScopedToItsPages() {
        Sessions acme = new Sessions(clock, new SecureRandom(), "/orgs/acme/device");

        assertThat(acme.cookie(acme.anonymous())).contains("; Path=/orgs/acme/device;");
    }

    @Test
    void toStringWhenCalledThenNoIdOrToken() {
        Sessions.Session session = sessions.signIn(sessions.anonymous().withUserCode("WDJBMJHT"), "alice",
                "ip:192.0.2.1");

        assertThat(session.toString()).doesNotContain(session.id()).doesNotContain(session.csrfToken())
                .doesNotContain("WDJBMJHT").doesNotContain("192.0.2.1");
    }

    /** The value of a Set-Cookie header. */
    private static String valueOf(String setCookie) {
        return setCookie.substring((Sessions.COOKIE + "=").length(), setCookie.indexOf(';'));
    }

    /** The Cookie header a browser sends back for a Set-Cookie header. */
    private static List<String> cookieOf(String setCookie) {
        return cookie(valueOf(setCookie));
    }

    private static List<String> cookie(String value) {
        return List.of(Sessions.COOKIE + "=" + value);
    }
}
