package org.devicegrant.examples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's users, with passwords held as SHA-256 and compared in constant time. Good enough
 * for a demo on localhost, not for production: a real host uses its own user store and a slow
 * password hash. Immutable and thread-safe.
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

    private DemoAccounts() {
    }

    /** {@code alice}/{@code alice} and {@code bob}/{@code bob}. */
    static DemoAccounts standard() {
        DemoAccounts accounts = new DemoAccounts();
        accounts.add(new Account("alice", "Alice Example", "alice@example.com"), "alice");
        accounts.add(new Account("bob", "Bob Example", "bob@example.com"), "bob");
        return accounts;
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
