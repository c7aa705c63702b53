package org.devicegrant.examples;

import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final Sessions sessions = new Sessions(clock, new SecureRandom());

    @Test
    void findWhenCookieNamesALiveSessionThenFoundInEitherCookieSyntax() {
        Sessions.Session session = sessions.create();

        assertThat(sessions.find(List.of("other=1; " + Sessions.COOKIE + "=" + session.id()))).hasValue(session);
        // java.net.CookieManager sends RFC 2965 syntax with a quoted value
        assertThat(sessions.find(List.of("$Version=\"1\"; " + Sessions.COOKIE + "=\"" + session.id()
                + "\";$Path=\"/device\""))).hasValue(session);
        assertThat(sessions.find(List.of(Sessions.COOKIE + "=" + session.id() + "x"))).isEmpty();
        assertThat(sessions.find(List.of())).isEmpty();
    }

    @Test
    void findWhenIdleForTheTimeoutThenGoneButActivityKeepsItAlive() {
        Sessions.Session session = sessions.create();
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
        Sessions.Session anonymous = sessions.create().withUserCode("WDJBMJHT");
        sessions.save(anonymous);
        clock.advance(Duration.ofSeconds(3));

        Sessions.Session signedIn = sessions.signIn(anonymous, "alice");

        assertThat(signedIn.id()).isNotEqualTo(anonymous.id());
        assertThat(signedIn.csrfToken()).isNotEqualTo(anonymous.csrfToken());
        assertThat(signedIn.subject()).isEqualTo("alice");
        assertThat(signedIn.authTime()).isEqualTo(clock.instant());
        assertThat(signedIn.userCode()).isEqualTo("WDJBMJHT");
        assertThat(sessions.find(List.of(Sessions.COOKIE + "=" + anonymous.id()))).isEmpty();
        assertThat(sessions.find(List.of(Sessions.COOKIE + "=" + signedIn.id()))).isPresent();
    }

    @Test
    void csrfMatchesOnlyTheSessionsOwnToken() {
        Sessions.Session a = sessions.create();
        Sessions.Session b = sessions.create();

        assertThat(a.csrfMatches(a.csrfToken())).isTrue();
        assertThat(a.csrfMatches(b.csrfToken())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(a.csrfMatches("")).isFalse();
    }

    @Test
    void cookieWhenRenderedThenHttpOnlySameSiteLaxAndScopedToThePages() {
        Sessions.Session session = sessions.create();

        assertThat(sessions.cookie(session)).startsWith(Sessions.COOKIE + "=" + session.id() + ";")
                .contains("; HttpOnly").contains("; SameSite=Lax").contains("; Path=/device");
    }

    @Test
    void cookieWhenSessionsOfAnOrganisationThenScopedToItsPages() {
        Sessions acme = new Sessions(clock, new SecureRandom(), "/orgs/acme/device");

        assertThat(acme.cookie(acme.create())).contains("; Path=/orgs/acme/device;");
    }

    @Test
    void toStringWhenCalledThenNoIdOrToken() {
        Sessions.Session session = sessions.create();

        assertThat(session.toString()).doesNotContain(session.id()).doesNotContain(session.csrfToken());
    }
}
