package org.devicegrant.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a redeemed device authorization becomes: the user's consent for one device, with the tokens
 * issued under it. Immutable; never holds a raw token.
 *
 * <p>A grant holds at most one <em>current</em> refresh token, as {@code refreshTokenHash} (SHA-256
 * of the token, base64url: a refresh token carries at least 128 random bits, so it needs no key).
 * Rotation replaces it through {@link GrantStore#replace}; the store keeps every hash a grant ever
 * had, so that a retired refresh token presented again is recognised
 * ({@link GrantStore#findByRefreshTokenHash}) and the grant can be revoked.
 *
 * <p>State changes are new records with {@code version + 1}, persisted only through
 * {@link GrantStore#replace(long, Grant)}.
 *
 * @param id                unique id of the grant, safe to log; access tokens name it
 * @param tenant            the tenant; every lookup is scoped by it
 * @param authorizationId   the device authorization it was redeemed from
 * @param clientId          the client it was issued to
 * @param subject           the user who approved
 * @param scopes            the scopes granted
 * @param claims            extra claims for the token issuer as JSON object text, or null; opaque to stores
 * @param authTime          when the approving user authenticated, or null
 * @param deviceMetadata    what was known of the device when it asked (as in {@link DeviceAuthorization})
 * @param createdAt         when it was created (the first token)
 * @param lastUsedAt        when a token of it was last issued (creation or refresh)
 * @param expiresAt         when it lapses unless used again: the earlier of the idle deadline and the
 *                          absolute one; moved by each refresh, never past the absolute deadline.
 *                          Stores purge by it
 * @param status            active or revoked
 * @param revokedAt         when it was revoked, or null while active
 * @param refreshTokenHash  the hash of the current refresh token, or null when it has none
 * @param dpopJkt           the RFC 7638 thumbprint of the key its tokens are bound to, or null
 * @param version           incremented by every change; the compare-and-set token
 */
public record Grant(
        String id,
        String tenant,
        String authorizationId,
        String clientId,
        String subject,
        Set<String> scopes,
        String claims,
        Instant authTime,
        Map<String, String> deviceMetadata,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        GrantStatus status,
        Instant revokedAt,
        String refreshTokenHash,
        String dpopJkt,
        long version) {

    public Grant {
        requireText(id, "id");
        requireText(tenant, "tenant");
        requireText(authorizationId, "authorizationId");
        requireText(clientId, "clientId");
        requireText(subject, "subject");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        deviceMetadata = Map.copyOf(Objects.requireNonNull(deviceMetadata, "deviceMetadata"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        if (lastUsedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("lastUsedAt must not be before createdAt");
        }
        if (status == GrantStatus.REVOKED && revokedAt == null) {
            throw new IllegalArgumentException("a revoked grant needs revokedAt");
        }
        if (status == GrantStatus.ACTIVE && revokedAt != null) {
            throw new IllegalArgumentException("an active grant has no revokedAt");
        }
        if (refreshTokenHash != null && refreshTokenHash.isEmpty()) {
            throw new IllegalArgumentException("refreshTokenHash must be null or non-empty");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }

    /** True when its tokens still work at {@code now}: active and not lapsed. */
    public boolean isActive(Instant now) {
        return status == GrantStatus.ACTIVE && now.isBefore(expiresAt);
    }

    /** A builder with every field of this grant, for the next version. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    /** Assembles a {@link Grant}; {@link #build()} validates. Defaults: active, no metadata, version 0. */
    public static final class Builder {
        private String id;
        private String tenant;
        private String authorizationId;
        private String clientId;
        private String subject;
        private Set<String> scopes = Set.of();
        private String claims;
        private Instant authTime;
        private Map<String, String> deviceMetadata = Map.of();
        private Instant createdAt;
        private Instant lastUsedAt;
        private Instant expiresAt;
        private GrantStatus status = GrantStatus.ACTIVE;
        private Instant revokedAt;
        private String refreshTokenHash;
        private String dpopJkt;
        private long version;

        private Builder() {
        }

        private Builder(Grant g) {
            id = g.id;
            tenant = g.tenant;
            authorizationId = g.authorizationId;
            clientId = g.clientId;
            subject = g.subject;
            scopes = g.scopes;
            claims = g.claims;
            authTime = g.authTime;
            deviceMetadata = g.deviceMetadata;
            createdAt = g.createdAt;
            lastUsedAt = g.lastUsedAt;
            expiresAt = g.expiresAt;
            status = g.status;
            revokedAt = g.revokedAt;
            refreshTokenHash = g.refreshTokenHash;
            dpopJkt = g.dpopJkt;
            version = g.version;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder tenant(String v) { tenant = v; return this; }
        public Builder authorizationId(String v) { authorizationId = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder subject(String v) { subject = v; return this; }
        public Builder scopes(Set<String> v) { scopes = v; return this; }
        public Builder claims(String v) { claims = v; return this; }
        public Builder authTime(Instant v) { authTime = v; return this; }
        public Builder deviceMetadata(Map<String, String> v) { deviceMetadata = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder lastUsedAt(Instant v) { lastUsedAt = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        public Builder status(GrantStatus v) { status = v; return this; }
        public Builder revokedAt(Instant v) { revokedAt = v; return this; }
        public Builder refreshTokenHash(String v) { refreshTokenHash = v; return this; }
        public Builder dpopJkt(String v) { dpopJkt = v; return this; }
        public Builder version(long v) { version = v; return this; }

        /** Increments the version: the next state of the same grant. */
        public Builder nextVersion() { version = version + 1; return this; }

        /** Revoked at {@code when}; its refresh-token hashes stay, so that presenting one still finds it. */
        public Builder revoked(Instant when) {
            status = GrantStatus.REVOKED;
            revokedAt = when;
            return this;
        }

        public Grant build() {
            return new Grant(id, tenant, authorizationId, clientId, subject, scopes, claims, authTime,
                    deviceMetadata, createdAt, lastUsedAt, expiresAt, status, revokedAt, refreshTokenHash, dpopJkt,
                    version);
        }
    }
}
