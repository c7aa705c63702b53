package org.devicegrant.storage.tck;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.AuthorizationStatus;

/**
 * Valid {@link DeviceAuthorization} and {@link Grant} records for tests, so
 * that a test names only what it is about. Every factory call yields a fresh id, device-code hash,
 * user-code hash and refresh-token hash (from a JVM-wide counter), shaped like the real ones:
 * 43-character base64url strings.
 *
 * <p>Thread-safe: the counter is atomic and every other member is stateless.
 */
public final class Fixtures {

    /** The tenant most tests use. */
    public static final String TENANT = "tenant-a";
    /** A second tenant, for isolation tests. */
    public static final String OTHER_TENANT = "tenant-b";
    /** The client most tests use. */
    public static final String CLIENT = "tv-client";
    /** A second client of the same tenant. */
    static final String OTHER_CLIENT = "cli-client";
    /** The default lifetime of a record: RFC 8628 §3.2 {@code expires_in} of 600 s. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** The default polling interval: 5 s (RFC 8628 §3.2). */
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    /** The default lifetime of a grant from its last use (idle and absolute deadline alike in fixtures): 30 days. */
    public static final Duration GRANT_LIFETIME = Duration.ofDays(30);
    /** The instant a fresh {@link MutableClock} of the kit starts at. */
    public static final Instant START = Instant.parse("2026-01-15T09:00:00Z");

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final byte[] USER_CODE_KEY = "devicegrant-tck-user-code-key-32".getBytes(StandardCharsets.UTF_8);

    private Fixtures() {
    }

    /** A {@link MutableClock} standing at {@link #START}. */
    public static MutableClock clock() {
        return new MutableClock(START);
    }

    /** A PENDING record of {@link #TENANT} and {@link #CLIENT}, created at {@code now}, living {@link #LIFETIME}. */
    public static DeviceAuthorization pending(Instant now) {
        return pending(TENANT, CLIENT, now, LIFETIME);
    }

    /** A PENDING record of {@code tenant} and {@code clientId}, created at {@code now}, living {@code lifetime}. */
    public static DeviceAuthorization pending(String tenant, String clientId, Instant now, Duration lifetime) {
        return builder(tenant, clientId, now, lifetime).build();
    }

    /**
     * A builder preset with fresh id and hashes, PENDING, version 0, scopes {@code openid profile
     * offline_access}, two device metadata entries and a {@link #INTERVAL} interval.
     */
    public static DeviceAuthorization.Builder builder(String tenant, String clientId, Instant now, Duration lifetime) {
        long n = COUNTER.incrementAndGet();
        return DeviceAuthorization.builder()
                .id("da-" + n)
                .tenant(tenant)
                .deviceCodeHash(deviceCodeHash("device-code-" + n))
                .userCodeHash(userCodeHash("USERCODE" + n))
                .clientId(clientId)
                .requestedScopes(Set.of("openid", "profile", "offline_access"))
                .deviceMetadata(Map.of("device_name", "Living room TV", "device_model", "DG-" + n))
                .status(AuthorizationStatus.PENDING)
                .createdAt(now)
                .expiresAt(now.plus(lifetime))
                .interval(INTERVAL);
    }

    /**
     * The next version of {@code record}, APPROVED by {@code subject} at {@code now} with every
     * optional field set: granted scopes, claims, auth time, last poll and a grown interval.
     */
    public static DeviceAuthorization approved(DeviceAuthorization record, String subject, Instant now) {
        return record.toBuilder()
                .status(AuthorizationStatus.APPROVED)
                .subject(subject)
                .grantedScopes(Set.of("openid", "profile"))
                .claims("{\"acr\":\"urn:example:mfa\",\"amr\":[\"pwd\",\"otp\"]}")
                .authTime(now.minusSeconds(30))
                .lastPolledAt(now.minusSeconds(1))
                .interval(record.interval().plusSeconds(5))
                .nextVersion()
                .build();
    }

    /** The next version of {@code record} with status {@code status}; a subject is kept or set. */
    static DeviceAuthorization withStatus(DeviceAuthorization record, AuthorizationStatus status) {
        DeviceAuthorization.Builder next = record.toBuilder().status(status).nextVersion();
        if (record.subject() == null) {
            next.subject("user-" + COUNTER.incrementAndGet());
        }
        return next.build();
    }

    /**
     * An ACTIVE grant of {@code tenant}, {@link #CLIENT} and {@code subject}, created and last used
     * at {@code now}, lapsing {@link #GRANT_LIFETIME} later, with every optional field set (claims,
     * auth time, device metadata, a DPoP thumbprint) and a fresh current refresh-token hash; the id
     * is the authorization id, as the core makes it.
     */
    public static Grant grant(String tenant, String subject, Instant now) {
        return grantBuilder(tenant, subject, now).build();
    }

    /** A builder preset as {@link #grant(String, String, Instant)}: version 0, ACTIVE. */
    public static Grant.Builder grantBuilder(String tenant, String subject, Instant now) {
        long n = COUNTER.incrementAndGet();
        return Grant.builder()
                .id("da-" + n)
                .tenant(tenant)
                .authorizationId("da-" + n)
                .clientId(CLIENT)
                .subject(subject)
                .scopes(Set.of("openid", "profile", "offline_access"))
                .claims("{\"acr\":\"urn:example:mfa\",\"amr\":[\"pwd\",\"otp\"]}")
                .authTime(now.minusSeconds(30))
                .deviceMetadata(Map.of("device_name", "Living room TV", "device_model", "DG-" + n))
                .createdAt(now)
                .lastUsedAt(now)
                .expiresAt(now.plus(GRANT_LIFETIME))
                .refreshTokenHash(freshRefreshTokenHash())
                .dpopJkt(base64Url(sha256("jkt-" + n)));
    }

    /**
     * The next version of {@code grant} after a refresh at {@code now}: a fresh refresh-token hash,
     * last used at {@code now}, lapsing {@link #GRANT_LIFETIME} later.
     */
    public static Grant rotated(Grant grant, Instant now) {
        return grant.toBuilder()
                .refreshTokenHash(freshRefreshTokenHash())
                .lastUsedAt(now)
                .expiresAt(now.plus(GRANT_LIFETIME))
                .nextVersion()
                .build();
    }

    /** The next version of {@code grant}, revoked at {@code now}; its refresh-token hash is kept. */
    public static Grant revoked(Grant grant, Instant now) {
        return grant.toBuilder().revoked(now).nextVersion().build();
    }

    /** The hash of a refresh token never issued before: {@link #refreshTokenHash} of a fresh raw token. */
    public static String freshRefreshTokenHash() {
        return refreshTokenHash("refresh-token-" + COUNTER.incrementAndGet());
    }

    /** SHA-256 of {@code rawRefreshToken}, base64url without padding: how the core stores a refresh token. */
    public static String refreshTokenHash(String rawRefreshToken) {
        return base64Url(sha256(rawRefreshToken));
    }

    /** SHA-256 of {@code rawDeviceCode}, base64url without padding: how the core stores a device code. */
    public static String deviceCodeHash(String rawDeviceCode) {
        return base64Url(sha256(rawDeviceCode));
    }

    /**
     * HMAC-SHA256 of the normalised user code under a fixed test key, base64url without padding:
     * how the core stores a user code.
     */
    public static String userCodeHash(String normalisedUserCode) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(USER_CODE_KEY, "HmacSHA256"));
            return base64Url(hmac.doFinal(normalisedUserCode.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JRE", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
