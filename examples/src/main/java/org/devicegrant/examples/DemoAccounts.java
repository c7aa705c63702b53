package org.devicegrant.examples;

import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's users, and signing them in. The accounts are fixed; only their locked state changes.
 * Thread-safe.
 *
 * <p><b>Passwords</b> are kept as PBKDF2 (RFC 8018 §5.2) with HMAC-SHA-256, a random
 * {@value #SALT_BYTES}-byte salt per account from the injected {@code SecureRandom}, and
 * {@value #PBKDF2_ITERATIONS} iterations (the work factor OWASP's password storage guidance gives
 * for this PRF), compared in constant time. An unknown username costs the same derivation, against
 * a salt and hash drawn at start-up, so the answer's timing does not tell which users exist.
 *
 * <p><b>Guessing</b> is budgeted per source address, never per account alone, with the sign-in
 * {@link #SIGN_IN_POLICY}: an address gets 5 wrong passwords a minute for each username it tries
 * (then lockouts of 60 s doubling to 15 minutes, and 20 per 10 minutes), and 30 a minute across all
 * usernames. A refused try is not checked at all, so a throttled address is refused even the right
 * password and learns nothing; the same account at another address signs in at once, so nobody
 * can lock a user out by failing in their name. What is charged never depends on whether the
 * username exists. A real host adds its own signals (a second factor, a challenge after failures
 * across addresses) on top.
 */
final class DemoAccounts {

    /** A demo user: the subject, its display name and email for the profile and email scopes. */
    record Account(String username, String name, String email) {
    }

    /** What a sign-in attempt came to. */
    sealed interface SignIn permits SignedIn, WrongCredentials, Throttled {
    }

    /** Username and password matched. */
    record SignedIn(Account account) implements SignIn {
    }

    /** No such username, or the wrong password: the two are never told apart. */
    record WrongCredentials() implements SignIn {
    }

    /** Too many failures from this address; the password was not checked. */
    record Throttled(Duration retryAfter) implements SignIn {
    }

    /** PBKDF2-HMAC-SHA256 iterations of the stored passwords. */
    static final int PBKDF2_ITERATIONS = 600_000;
    static final int SALT_BYTES = 16;
    /**
     * Per address and username: 5 failures a minute, then lockouts from 60 s doubling to 15
     * minutes, and 20 per 10 minutes; per address across usernames: 30 a minute.
     */
    static final AttemptPolicy SIGN_IN_POLICY = new AttemptPolicy(5, Duration.ofSeconds(60), 20,
            Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(15), 30, Duration.ofSeconds(60));
    private static final String PBKDF2 = "PBKDF2WithHmacSHA256";
    private static final int HASH_BITS = 256;
    /** Limiter namespaces of sign-in budgets, one per source address. */
    private static final String SIGN_IN_BUDGET_PREFIX = "sign-in:";

    /** A stored password: its salt and its PBKDF2 output. */
    record PasswordHash(byte[] salt, byte[] hash) {
        PasswordHash copy() {
            return new PasswordHash(salt.clone(), hash.clone());
        }
    }

    private record Entry(Account account, PasswordHash password) {
    }

    private final Map<String, Entry> byUsername = new LinkedHashMap<>();
    private final Set<String> locked = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final SecureRandom random;
    private final int iterations;
    /** Checked for unknown usernames, so that both paths do the same work. */
    private final PasswordHash noUser;
    private final AttemptLimiter signInAttempts = new InMemoryAttemptLimiter(SIGN_IN_POLICY);
    private final AtomicLong iterationsSpent = new AtomicLong();

    private DemoAccounts(Clock clock, SecureRandom random, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive, was " + iterations);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.iterations = iterations;
        byte[] unknownPassword = new byte[SALT_BYTES];
        random.nextBytes(unknownPassword);
        this.noUser = hash(Base64.getEncoder().encodeToString(unknownPassword));
    }

    /**
     * {@code alice}/{@code alice}, {@code bob}/{@code bob} and {@code carol}/{@code carol}, hashed
     * with {@value #PBKDF2_ITERATIONS} iterations; carol's account is locked from the start: she
     * can sign in and approve, but her devices get no tokens.
     */
    static DemoAccounts standard(Clock clock, SecureRandom random) {
        return standard(clock, random, PBKDF2_ITERATIONS);
    }

    /** The standard accounts with another iteration count, for tests that sign in often. */
    static DemoAccounts standard(Clock clock, SecureRandom random, int iterations) {
        DemoAccounts accounts = new DemoAccounts(clock, random, iterations);
        accounts.add(new Account("alice", "Alice Example", "alice@example.com"), "alice");
        accounts.add(new Account("bob", "Bob Example", "bob@example.com"), "bob");
        accounts.add(new Account("carol", "Carol Example", "carol@example.com"), "carol");
        accounts.lock("carol");
        return accounts;
    }

    /**
     * Locks an account: from now on no device it approved receives tokens.
     *
     * @throws IllegalArgumentException there is no such account
     */
    void lock(String username) {
        if (!byUsername.containsKey(username)) {
            throw new IllegalArgumentException("no demo account " + username);
        }
        locked.add(username);
    }

    /** True when the account exists and is not locked: the demo's {@code AccountCheck}. */
    boolean mayReceiveTokens(String username) {
        return username != null && byUsername.containsKey(username) && !locked.contains(username);
    }

    /** True when the account is locked. */
    boolean isLocked(String username) {
        return locked.contains(username);
    }

    private void add(Account account, String password) {
        byUsername.put(account.username(), new Entry(account, hash(password)));
    }

    /**
     * One sign-in attempt from {@code source}, budgeted before the password is checked. Never logs
     * the username or the password.
     *
     * @param source the address the attempt comes from, as the host determined it
     */
    SignIn signIn(String username, String password, String source) {
        Objects.requireNonNull(source, "source");
        if (username == null || password == null) {
            return new WrongCredentials();
        }
        String namespace = SIGN_IN_BUDGET_PREFIX + source;
        // a digest, so that a long made-up username costs the limiter no more memory than a short one
        String key = digest(username);
        AttemptDecision decision = signInAttempts.tryAcquire(namespace, key, clock.instant());
        if (!decision.allowed()) {
            return new Throttled(decision.retryAfter());
        }
        Optional<Account> account = authenticate(username, password);
        if (account.isEmpty()) {
            return new WrongCredentials();
        }
        signInAttempts.recordSuccess(namespace, key, clock.instant());
        return new SignedIn(account.get());
    }

    /** The account whose username and password both match, or empty; not budgeted. Never logs either. */
    Optional<Account> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        Entry entry = byUsername.get(username);
        PasswordHash expected = entry == null ? noUser : entry.password();
        boolean matches = MessageDigest.isEqual(expected.hash(), derive(password, expected.salt()));
        return matches && entry != null ? Optional.of(entry.account()) : Optional.empty();
    }

    /** The account of a username, or empty. */
    Optional<Account> find(String username) {
        Entry entry = byUsername.get(username);
        return entry == null ? Optional.empty() : Optional.of(entry.account());
    }

    /** The usernames, in the order they were added. */
    Iterable<String> usernames() {
        return byUsername.keySet();
    }

    /** A copy of the hash stored for a user; for tests that check it independently. */
    Optional<PasswordHash> storedHash(String username) {
        return find(username).map(account -> byUsername.get(username).password().copy());
    }

    /** PBKDF2 iterations computed since start-up, stored hashes included; for tests of the work per attempt. */
    long iterationsSpent() {
        return iterationsSpent.get();
    }

    private PasswordHash hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(salt, derive(password, salt));
    }

    private byte[] derive(String password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            iterationsSpent.addAndGet(iterations);
            return SecretKeyFactory.getInstance(PBKDF2).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(PBKDF2 + " is required of every JRE", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String digest(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
