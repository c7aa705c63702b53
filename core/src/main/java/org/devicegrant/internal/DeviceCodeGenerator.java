package org.devicegrant.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Generates device codes: {@code bytes} random bytes from an injected {@link SecureRandom},
 * base64url without padding. The device code is never shown to a person, so it can be long
 * (RFC 8628 §5.2); its length is a setting of {@link org.devicegrant.CodePolicy}, which checks it.
 *
 * <p>Thread-safe as long as the {@code SecureRandom} is (the JDK's are).
 */
final class DeviceCodeGenerator {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;
    private final int bytes;

    /**
     * @param random the randomness source
     * @param bytes  random bytes per code, as {@link org.devicegrant.CodePolicy#deviceCodeBytes()} allows
     * @throws NullPointerException if {@code random} is null
     */
    DeviceCodeGenerator(SecureRandom random, int bytes) {
        this.random = Objects.requireNonNull(random, "random");
        this.bytes = bytes;
    }

    /** Random bytes per code. */
    int bytes() {
        return bytes;
    }

    /**
     * A new device code and, from the same draw, {@code idBytes} further random bytes for an
     * identifier (base64url without padding): one call to the random source instead of two, on the
     * path of every device authorization request. The identifier's bytes are independent of the
     * code's, so it says nothing about the code and may be logged.
     *
     * @throws IllegalArgumentException if {@code idBytes} is not between 1 and 64
     */
    CodeAndId generateWithId(int idBytes) {
        Setting.inRange(idBytes, 1, 64, "idBytes");
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
    record CodeAndId(String deviceCode, String id) {
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
