package org.devicegrant.device;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The answer of the device authorization endpoint (RFC 8628 §3.2) as the device keeps it while
 * the user decides.
 *
 * <p>Show the user {@link #userCode()} and {@link #verificationUri()} as text (RFC
 * 8628 §3.3.1 "the client MUST still display the user_code"), even when
 * {@link #verificationUriComplete()} is also shown as a QR code. Never show or log
 * {@link #deviceCode()}: it is the credential the device polls with. Immutable.
 *
 * @param deviceCode              the device verification code; secret
 * @param userCode                the code the user types on the verification page
 * @param verificationUri         where the user goes, typed by hand
 * @param verificationUriComplete the verification URI with the user code embedded, or
 *                                {@code null} when the server sent none
 * @param expiresIn               the lifetime of both codes
 * @param interval                the minimum wait between polls (5 s when the server sent
 *                                none)
 * @param expiresAt               when the codes expire, by the client's clock; no poll is sent at
 *                                or after this instant
 */
public record DeviceCodes(String deviceCode, String userCode, URI verificationUri,
        URI verificationUriComplete, Duration expiresIn, Duration interval, Instant expiresAt) {

    /**
     * @throws NullPointerException     if a field other than {@code verificationUriComplete} is
     *                                  null
     * @throws IllegalArgumentException if a code is empty, or {@code expiresIn} or
     *                                  {@code interval} is not positive
     */
    public DeviceCodes {
        requireText(deviceCode, "deviceCode");
        requireText(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        requirePositive(expiresIn, "expiresIn");
        requirePositive(interval, "interval");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Everything but the codes: the device code is a credential, the user code a pairing secret. */
    @Override
    public String toString() {
        return "DeviceCodes[verificationUri=" + verificationUri
                + ", verificationUriComplete=" + (verificationUriComplete == null ? "none" : "present")
                + ", expiresIn=" + expiresIn + ", interval=" + interval + ", expiresAt=" + expiresAt + "]";
    }
}
