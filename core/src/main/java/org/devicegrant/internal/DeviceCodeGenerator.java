package org.devicegrant.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Generates device codes: {@code bytes} random bytes from an injected {@link SecureRandom},
 * base64url without padding.
 *
 * <p>The device code is never shown to a person, so it can be long (RFC 8628 §5.2). The default
 * of {@value #DEFAULT_BYTES} bytes is 256 bits; fewer than {@value #MIN_BYTES} bytes (128 bits)
 * is refused, because RFC 6749 §10.10 requires credentials not handled by end users to have a
 * guessing probability of at most 2^-128.
 *
 * <p>Thread-safe as long as the {@code SecureRandom} is (the JDK's are).
 */
public final class DeviceCodeGenerator {

    /** The default device code length in random bytes: 256 bits, 43 base64url characters. */
    public static final int DEFAULT_BYTES = 32;
    /** The shortest accepted device code length in random bytes: 128 bits. */
    public static final int MIN_BYTES = 16;
    /** The longest accepted device code length in random bytes. */
    public static final int MAX_BYTES = 256;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;
    private final int bytes;

    /**
     * @param random the randomness source
     * @param bytes  random bytes per code, {@value #MIN_BYTES} to {@value #MAX_BYTES}
     * @throws NullPointerException     if {@code random} is null
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public DeviceCodeGenerator(SecureRandom random, int bytes) {
        this.random = Objects.requireNonNull(random, "random");
        // RFC 8628 §5.2 (D34): "a very high entropy code SHOULD be used". RFC 6749 §10.10 (O17):
        // the probability of guessing credentials not handled by end users "MUST be less than
        // or equal to 2^(-128)".
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("device code length must be at least " + MIN_BYTES
                    + " bytes (128 bits) and at most " + MAX_BYTES + " bytes, was " + bytes);
        }
        this.bytes = bytes;
    }

    /** A generator of {@value #DEFAULT_BYTES}-byte codes. */
    public DeviceCodeGenerator(SecureRandom random) {
        this(random, DEFAULT_BYTES);
    }

    /** Random bytes per code. */
    public int bytes() {
        return bytes;
    }

    /** A new device code: {@link #bytes()} random bytes, base64url without padding. */
    public String generate() {
        byte[] code = new byte[bytes];
        random.nextBytes(code);
        return BASE64URL.encodeToString(code);
    }

    /**
     * A new device code and, from the same draw, {@code idBytes} further random bytes for an
     * identifier (base64url without padding): one call to the random source instead of two, on the
     * path of every device authorization request. The identifier's bytes are independent of the
     * code's, so it says nothing about the code and may be logged.
     *
     * @throws IllegalArgumentException if {@code idBytes} is not between 1 and 64
     */
    public CodeAndId generateWithId(int idBytes) {
        if (idBytes < 1 || idBytes > 64) {
            throw new IllegalArgumentException("idBytes must be between 1 and 64, was " + idBytes);
        }
        byte[] draw = new byte[bytes + idBytes];
        random.nextBytes(draw);
        return new CodeAndId(BASE64URL.encodeToString(Arrays.copyOf(draw, bytes)),
                BASE64URL.encodeToString(Arrays.copyOfRange(draw, bytes, draw.length)));
    }

    /**
     * A device code and an identifier drawn together; {@code toString} never shows the code.
     *
     * @param deviceCode the device code, a secret
     * @param id         the identifier, not a secret
     */
    public record CodeAndId(String deviceCode, String id) {
        @Override
        public String toString() {
            return "CodeAndId[id=" + id + "]";
        }
    }

    @Override
    public String toString() {
        return "DeviceCodeGenerator[" + bytes + " bytes]";
    }
}
