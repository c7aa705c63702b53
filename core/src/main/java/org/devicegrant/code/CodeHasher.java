package org.devicegrant.code;

import org.devicegrant.internal.Setting;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes codes for storage, so that a store never holds a raw code: a store is looked up by
 * hash, and a leaked store gives away no code that could still be used.
 *
 * <p>The device code, at least 128 random bits, is stored as its plain SHA-256. The user code,
 * about 34.6 bits for 8 base-20 characters, would fall to an exhaustive search of a plain hash
 * in seconds, so it is stored as an HMAC-SHA-256 under a host secret. Both come out as base64url
 * without padding.
 *
 * <p>Thread-safe: each thread keeps its own {@link MessageDigest} and keyed {@link Mac}, made once
 * (both are on the hot path of every request, and making a keyed {@code Mac} costs more than using
 * it). The key is copied on construction and never shown by {@link #toString()}.
 */
public final class CodeHasher {

    /** The shortest accepted user-code HMAC key, in bytes: the HMAC-SHA-256 output size. */
    private static final int MIN_KEY_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec userCodeKey;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(CodeHasher::newSha256);

    /**
     * @param userCodeKey the secret HMAC key for user codes, at least 32
     *                    bytes; the array is copied, so the caller may wipe it afterwards
     * @throws NullPointerException    if {@code userCodeKey} is null
     * @throws org.devicegrant.InvalidSettingException naming {@code userCodeKey}: the key is
     *         shorter than 32 bytes (the message gives its length only)
     */
    public CodeHasher(byte[] userCodeKey) {
        Objects.requireNonNull(userCodeKey, "userCodeKey");
        Setting.require(userCodeKey.length >= MIN_KEY_BYTES, "userCodeKey",
                "at least " + MIN_KEY_BYTES + " bytes (the HMAC-SHA-256 key of user codes)",
                userCodeKey.length + " bytes");
        this.userCodeKey = new SecretKeySpec(userCodeKey.clone(), HMAC);
    }

    /**
     * SHA-256 of the UTF-8 bytes of {@code refreshToken}, base64url without padding: what grant
     * stores keep of a refresh token. No key is needed: a refresh token carries 256 random bits
     * (RFC 6749 §10.10), so its hash cannot be reversed by guessing.
     *
     * @throws NullPointerException if {@code refreshToken} is null
     */
    public String refreshTokenHash(String refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        return BASE64URL.encodeToString(SHA256.get().digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * SHA-256 of the UTF-8 bytes of {@code deviceCode}, base64url without padding.
     *
     * @throws NullPointerException if {@code deviceCode} is null
     */
    public String deviceCodeHash(String deviceCode) {
        Objects.requireNonNull(deviceCode, "deviceCode");
        // digest() resets the digest, so the thread's instance is ready for its next use
        return BASE64URL.encodeToString(SHA256.get().digest(deviceCode.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * HMAC-SHA-256 under this hasher's key of the UTF-8 bytes of {@code canonicalUserCode},
     * base64url without padding. Pass the {@linkplain UserCodeFormat#normalize(String)
     * normalised} code, so that every way of typing it gives the same hash.
     *
     * @throws NullPointerException if {@code canonicalUserCode} is null
     */
    public String userCodeHash(String canonicalUserCode) {
        Objects.requireNonNull(canonicalUserCode, "canonicalUserCode");
        // doFinal() resets the Mac to its key, so the thread's instance is ready for its next use
        return BASE64URL.encodeToString(macs.get().doFinal(canonicalUserCode.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(userCodeKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "CodeHasher[device code: SHA-256, user code: HMAC-SHA-256]";
    }
}
