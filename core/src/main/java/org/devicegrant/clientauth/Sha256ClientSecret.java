package org.devicegrant.clientauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A {@link ClientSecret} that holds only the SHA-256 of the secret; {@code toString} never shows it. */
final class Sha256ClientSecret implements ClientSecret {

    private final byte[] expected;

    Sha256ClientSecret(byte[] expected) {
        this.expected = expected.clone();
    }

    @Override
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, digest(presented));
    }

    static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "ClientSecret[sha256]";
    }
}
