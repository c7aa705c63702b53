package org.devicegrant.examples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verification pages' browser sessions, in memory: an id in an {@code HttpOnly},
 * {@code SameSite=Lax} cookie, a CSRF token bound to the session, the signed-in user, and the
 * one user code this session looked up. Sessions idle for {@link #IDLE_TIMEOUT} are gone; at
 * most {@link #MAX_SESSIONS} live at once. Thread-safe.
 */
final class Sessions {

    static final String COOKIE = "dg_session";
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final int MAX_SESSIONS = 10_000;
    private static final int TOKEN_BYTES = 32;

    /**
     * One browser session. Immutable: a change is a new value saved under the same id.
     *
     * @param id        the cookie value
     * @param csrfToken must come back in every POST form of this session
     * @param subject   the signed-in user, or null
     * @param authTime  when the user signed in, or null
     * @param userCode  the canonical user code this session looked up successfully, or null
     * @param lastSeen  the last request of this session
     */
    record Session(String id, String csrfToken, String subject, Instant authTime, String userCode, Instant lastSeen) {
        Session {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(lastSeen, "lastSeen");
        }

        boolean signedIn() {
            return subject != null;
        }

        Session withUserCode(String canonicalUserCode) {
            return new Session(id, csrfToken, subject, authTime, canonicalUserCode, lastSeen);
        }

        /** True when {@code presented} is this session's CSRF token; constant time. */
        boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.US_ASCII),
                    presented.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Session[signedIn=" + signedIn() + "]";
        }
    }

    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SecureRandom random;
    private final String cookiePath;

    /** Sessions of the pages under {@code /device}. */
    Sessions(Clock clock, SecureRandom random) {
        this(clock, random, "/device");
    }

    /**
     * Sessions of the pages under {@code cookiePath}: each tenant's pages have their own, so that a
     * session of one organisation is neither sent to nor valid at another's.
     */
    Sessions(Clock clock, SecureRandom random, String cookiePath) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.cookiePath = Objects.requireNonNull(cookiePath, "cookiePath");
    }

    /** The live session named by the request's cookie, marked as seen now; or empty. */
    Optional<Session> find(List<String> cookieHeaders) {
        Optional<String> id = cookieValue(cookieHeaders);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session found = byId.computeIfPresent(id.get(), (k, s) -> expired(s, now) ? null
                : new Session(s.id(), s.csrfToken(), s.subject(), s.authTime(), s.userCode(), now));
        return Optional.ofNullable(found);
    }

    /**
     * A new anonymous session.
     *
     * @throws IllegalStateException {@link #MAX_SESSIONS} sessions are live
     */
    Session create() {
        Instant now = clock.instant();
        if (byId.size() >= MAX_SESSIONS) {
            byId.values().removeIf(s -> expired(s, now));
            if (byId.size() >= MAX_SESSIONS) {
                throw new IllegalStateException("too many sessions");
            }
        }
        Session session = new Session(newToken(), newToken(), null, null, null, now);
        byId.put(session.id(), session);
        return session;
    }

    /** Stores a changed session under its id, unless it ended meanwhile. */
    void save(Session session) {
        byId.computeIfPresent(session.id(), (k, old) -> session);
    }

    /**
     * Signs the user in: the old session ends and a new one, with a new id and a new CSRF
     * token, carries the looked-up user code over (no session fixation).
     */
    Session signIn(Session old, String subject) {
        byId.remove(old.id());
        Instant now = clock.instant();
        Session session = new Session(newToken(), newToken(), Objects.requireNonNull(subject, "subject"), now,
                old.userCode(), now);
        byId.put(session.id(), session);
        return session;
    }

    /** The {@code Set-Cookie} value for a session: HttpOnly, SameSite=Lax, limited to the pages. */
    String cookie(Session session) {
        return COOKIE + "=" + session.id() + "; Path=" + cookiePath + "; HttpOnly; SameSite=Lax; Max-Age="
                + IDLE_TIMEOUT.toSeconds();
    }

    private static boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(IDLE_TIMEOUT));
    }

    private static Optional<String> cookieValue(List<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            // browsers send "name=value; ..."; RFC 2965 clients (java.net.CookieManager) quote the value
            for (String part : header.split("[;,]")) {
                String trimmed = part.trim();
                if (trimmed.startsWith(COOKIE + "=")) {
                    String value = trimmed.substring(COOKIE.length() + 1);
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
