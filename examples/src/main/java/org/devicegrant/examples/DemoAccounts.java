package org.devicegrant.examples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's users, with passwords held as SHA-256 and compared in constant time. Good enough
 * for a demo on localhost, not for production: a real host uses its own user store and a slow
 * password hash. The accounts are fixed; only their locked state changes. Thread-safe.
 */
final class DemoAccounts {

    /** A demo user: the subject, its display name and email for the profile and email scopes. */
    record Account(String username, String name, String email) {
    }

    private record Entry(Account account, byte[] passwordHash) {
    }

    /** An all-zero hash to compare against for unknown users, so both paths do the same work. */
    private static final byte[] NO_USER = new byte[32];

    private final Map<String, Entry> byUsername = new LinkedHashMap<>();
    private final Set<String> locked = ConcurrentHashMap.newKeySet();

    private DemoAccounts() {
    }

    /**
     * {@code alice}/{@code alice}, {@code bob}/{@code bob} and {@code carol}/{@code carol}; carol's
     * account is locked from the start: she can sign in and approve, but her devices get no tokens.
     */
    static DemoAccounts standard() {
        DemoAccounts accounts = new DemoAccounts();
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
        byUsername.put(account.username(), new Entry(account, sha256(password)));
    }

    /** The account whose username and password both match, or empty. Never logs either. */
    Optional<Account> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        Entry entry = byUsername.get(username);
        byte[] expected = entry == null ? NO_USER : entry.passwordHash();
        boolean matches = MessageDigest.isEqual(expected, sha256(password));
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

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
