package org.devicegrant.clientauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * How a registered client's secret is checked. The registry never needs to hold the secret
 * itself: {@link #sha256(String)} keeps only its hash, and a host with its own scheme
 * (bcrypt, PBKDF2, a vault) implements this interface.
 *
 * <p>Implementations are thread-safe and compare in constant time.
 */
@FunctionalInterface
public interface ClientSecret {

    /** True if {@code presented} is this client's secret. Never logs {@code presented}. */
    boolean matches(String presented);

    /** A secret checked against the SHA-256 of {@code plainSecret}; the plain text is not kept. */
    static ClientSecret sha256(String plainSecret) {
        Objects.requireNonNull(plainSecret, "plainSecret");
        if (plainSecret.isEmpty()) {
            throw new IllegalArgumentException("client secret must not be empty");
        }
        byte[] expected = digest(plainSecret);
        return new Sha256ClientSecret(expected);
    }

    /** A secret checked against a SHA-256 given as base64url (no padding), e.g. from a database. */
    static ClientSecret sha256Hash(String base64UrlHash) {
        byte[] expected = Base64.getUrlDecoder().decode(base64UrlHash);
        if (expected.length != 32) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + expected.length);
        }
        return new Sha256ClientSecret(expected);
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    /** Holds only the hash; {@code toString} never shows it. */
    final class Sha256ClientSecret implements ClientSecret {
        private final byte[] expected;

        private Sha256ClientSecret(byte[] expected) {
            this.expected = expected.clone();
        }

        @Override
        public boolean matches(String presented) {
            return presented != null && MessageDigest.isEqual(expected, digest(presented));
        }

        @Override
        public String toString() {
            return "ClientSecret[sha256]";
        }
    }
}
