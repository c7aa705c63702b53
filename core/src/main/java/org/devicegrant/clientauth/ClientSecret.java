package org.devicegrant.clientauth;

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
        return new Sha256ClientSecret(Sha256ClientSecret.digest(plainSecret));
    }

    /** A secret checked against a SHA-256 given as base64url (no padding), e.g. from a database. */
    static ClientSecret sha256Hash(String base64UrlHash) {
        byte[] expected = Base64.getUrlDecoder().decode(base64UrlHash);
        if (expected.length != 32) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + expected.length);
        }
        return new Sha256ClientSecret(expected);
    }
}
