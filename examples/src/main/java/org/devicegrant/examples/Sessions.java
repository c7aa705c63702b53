package org.devicegrant.examples;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verification pages' browser sessions: a value in an {@code HttpOnly}, {@code SameSite=Lax}
 * cookie, a CSRF token bound to it, the signed-in user, and the one user code this session
 * looked up. Thread-safe.
 *
 * <p><b>Anonymous sessions keep nothing on the server.</b> Their whole state is in the cookie:
 * a random nonce, when the cookie was issued and the looked-up user code, signed with an HMAC
 * key drawn at start-up; a cookie that was altered, or issued {@link #IDLE_TIMEOUT} ago or
 * more, is no session. So any number of requests without a cookie costs no memory and never
 * refuses another visitor.
 *
 * <p><b>Signed-in sessions</b> are kept in memory under a random id, which is all their cookie
 * holds, and end after {@link #IDLE_TIMEOUT} without a request. At most
 * {@value #MAX_SESSIONS_PER_SOURCE} live per source address and {@value #MAX_SESSIONS} in all; a
 * sign-in beyond either ends the session seen least recently (of that address, or of all) instead
 * of being refused, so a full table never turns a user away, and one address can only push out
 * its own sessions.
 *
 * <p>The CSRF token is an HMAC of the cookie's nonce or id: a form is accepted only with the
 * cookie its page was rendered for, and nothing about it needs storing.
 */
final class Sessions {

    static final String COOKIE = "dg_session";
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final int MAX_SESSIONS = 10_000;
    /**
     * A tenth of {@link #MAX_SESSIONS}: at least ten addresses are needed to fill the table, and
     * users who share an address with someone signing in over and over (one NAT, or everyone on
     * the demo's loopback) keep their sessions for that many sign-ins.
     */
    static final int MAX_SESSIONS_PER_SOURCE = 1_000;
    private static final int TOKEN_BYTES = 32;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * One browser session. Immutable: a change is a new value, saved with {@link #save}.
     *
     * @param id        the signed-in session's id, or the anonymous session's nonce
     * @param csrfToken must come back in every POST form of this session
     * @param subject   the signed-in user, or null: then the session is anonymous
     * @param authTime  when the user signed in, or null
     * @param userCode  the canonical user code this session looked up successfully, or null
     * @param lastSeen  the last request of a signed-in session; when an anonymous session's cookie was issued
     * @param source    the address a signed-in session signed in from, or null
     */
    record Session(String id, String csrfToken, String subject, Instant authTime, String userCode, Instant lastSeen,
            String source) {
        Session {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(lastSeen, "lastSeen");
        }

        boolean signedIn() {
            return subject != null;
        }

        Session withUserCode(String canonicalUserCode) {
            return new Session(id, csrfToken, subject, authTime, canonicalUserCode, lastSeen, source);
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

    private final ConcurrentHashMap<String, Session> signedIn = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SecureRandom random;
    private final String cookiePath;
    private final SecretKeySpec key;
    private final int maxSessions;
    private final int maxPerSource;

    /** Sessions of the pages under {@code /device}. */
    Sessions(Clock clock, SecureRandom random) {
        this(clock, random, "/device");
    }

    /**
     * Sessions of the pages under {@code cookiePath}: each tenant's pages have their own, with
     * their own key, so that a session of one organisation is neither sent to nor valid at another's.
     */
    Sessions(Clock clock, SecureRandom random, String cookiePath) {
        this(clock, random, cookiePath, MAX_SESSIONS, MAX_SESSIONS_PER_SOURCE);
    }

    /** With smaller bounds on the signed-in sessions, for tests. */
    Sessions(Clock clock, SecureRandom random, String cookiePath, int maxSessions, int maxPerSource) {
        if (maxSessions < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("maxSessions and maxPerSource must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.cookiePath = Objects.requireNonNull(cookiePath, "cookiePath");
        this.key = new SecretKeySpec(randomBytes(), HMAC);
        this.maxSessions = maxSessions;
        this.maxPerSource = maxPerSource;
    }

    /**
     * The live session named by the request's cookie, or empty: a signed-in one is marked as seen
     * now; an anonymous one is read from the cookie when its signature holds.
     */
    Optional<Session> find(List<String> cookieHeaders) {
        Optional<String> value = cookieValue(cookieHeaders);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (value.get().indexOf('.') >= 0) {
            return readAnonymous(value.get(), now);
        }
        Session found = signedIn.computeIfPresent(value.get(), (k, s) -> expired(s, now) ? null
                : new Session(s.id(), s.csrfToken(), s.subject(), s.authTime(), s.userCode(), now, s.source()));
        return Optional.ofNullable(found);
    }

    /** A new anonymous session; nothing is stored until someone signs in. */
    Session anonymous() {
        String nonce = newToken();
        return new Session(nonce, csrfToken(nonce), null, null, null, clock.instant(), null);
    }

    /**
     * Keeps a changed session and returns the {@code Set-Cookie} value that carries it: an
     * anonymous session lives in its cookie only; a signed-in one is stored under its id unless
     * it ended meanwhile.
     */
    String save(Session session) {
        if (session.signedIn()) {
            signedIn.computeIfPresent(session.id(), (k, old) -> session);
        }
        return cookie(session);
    }

    /**
     * Signs the user in: the old session ends and a new one, with a new id and a new CSRF
     * token, carries the looked-up user code over (no session fixation). When {@code source} has
     * {@value #MAX_SESSIONS_PER_SOURCE} sessions, or all have {@value #MAX_SESSIONS}, the one seen
     * least recently ends first.
     *
     * @param source the address the user signs in from
     */
    synchronized Session signIn(Session old, String subject, String source) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(source, "source");
        signedIn.remove(old.id());
        Instant now = clock.instant();
        signedIn.values().removeIf(s -> expired(s, now));
        if (signedIn.values().stream().filter(s -> s.source().equals(source)).count() >= maxPerSource) {
            endLeastRecentlySeen(signedIn.values().stream().filter(s -> s.source().equals(source)).toList());
        }
        if (signedIn.size() >= maxSessions) {
            endLeastRecentlySeen(List.copyOf(signedIn.values()));
        }
        String id = newToken();
        Session session = new Session(id, csrfToken(id), subject, now, old.userCode(), now, source);
        signedIn.put(id, session);
        return session;
    }

    /** The {@code Set-Cookie} value for a session: HttpOnly, SameSite=Lax, limited to the pages. */
    String cookie(Session session) {
        String value = session.signedIn() ? session.id() : anonymousCookie(session, clock.instant());
        return COOKIE + "=" + value + "; Path=" + cookiePath + "; HttpOnly; SameSite=Lax; Max-Age="
                + IDLE_TIMEOUT.toSeconds();
    }

    /** How many sessions are kept on the server: the signed-in ones. */
    int stored() {
        return signedIn.size();
    }

    private void endLeastRecentlySeen(List<Session> candidates) {
        candidates.stream().min(Comparator.comparing(Session::lastSeen))
                .ifPresent(oldest -> signedIn.remove(oldest.id()));
    }

    /** {@code nonce.issuedSeconds.code.signature}, the code base64url-encoded (empty when none). */
    private String anonymousCookie(Session session, Instant issued) {
        String code = session.userCode() == null ? ""
                : BASE64URL.encodeToString(session.userCode().getBytes(StandardCharsets.UTF_8));
        String signed = session.id() + "." + issued.getEpochSecond() + "." + code;
        return signed + "." + hmac("anonymous." + signed);
    }

    private Optional<Session> readAnonymous(String value, Instant now) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        String signed = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(hmac("anonymous." + signed).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        // the signature holds, so these fields are the ones this class wrote
        Instant issued = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        String userCode = parts[2].isEmpty() ? null
                : new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
        Session session = new Session(parts[0], csrfToken(parts[0]), null, null, userCode, issued, null);
        return expired(session, now) ? Optional.empty() : Optional.of(session);
    }

    private String csrfToken(String nonceOrId) {
        return hmac("csrf." + nonceOrId);
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return BASE64URL.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
        }
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
        return BASE64URL.encodeToString(randomBytes());
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return bytes;
    }
}
