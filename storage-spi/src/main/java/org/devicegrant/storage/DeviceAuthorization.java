package org.devicegrant.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One device authorization as a store keeps it: immutable, and never holding a raw code.
 *
 * <p>The device code is kept only as {@code deviceCodeHash} (SHA-256 of the code, base64url:
 * 256 random bits need no key) and the user code only as {@code userCodeHash} (an HMAC under
 * a host secret, base64url: 8 base-20 characters are 34.6 bits, which a plain hash would give
 * away in seconds). Stores treat both as opaque strings and index them.
 *
 * <p>State changes are new records with {@code version + 1}, persisted only through
 * {@link DeviceAuthorizationStore#replace(long, DeviceAuthorization)}. Expiry is derived:
 * see {@link #isExpired(Instant)}.
 *
 * @param id             unique id of the authorization, safe to log
 * @param tenant         the tenant it belongs to; every lookup is scoped by it
 * @param deviceCodeHash hash of the device code; never changes
 * @param userCodeHash   keyed hash of the normalised user code; never changes
 * @param clientId       the client the codes were issued to
 * @param requestedScopes scopes the client asked for (possibly empty)
 * @param deviceMetadata small string map describing the device, shown on the consent screen: at
 *                       most 16 entries, keys of 1 to 64 characters, values of at most 512
 * @param status         where it stands
 * @param subject        the user who approved or denied; set for APPROVED and CONSUMED
 * @param grantedScopes  scopes the user granted, a subset of {@code requestedScopes}
 * @param claims         extra claims for the token issuer as JSON object text, or null;
 *                       opaque to stores
 * @param authTime       when the approving user authenticated, or null
 * @param createdAt      when the codes were issued
 * @param expiresAt      when both codes stop working
 * @param interval       the minimum time between polls now in force (grows on {@code slow_down})
 * @param lastPolledAt   when the device last polled, or null
 * @param version        incremented by every change; the compare-and-set token
 */
public record DeviceAuthorization(
        String id,
        String tenant,
        String deviceCodeHash,
        String userCodeHash,
        String clientId,
        Set<String> requestedScopes,
        Map<String, String> deviceMetadata,
        AuthorizationStatus status,
        String subject,
        Set<String> grantedScopes,
        String claims,
        Instant authTime,
        Instant createdAt,
        Instant expiresAt,
        Duration interval,
        Instant lastPolledAt,
        long version) {

    /** At most this many device metadata entries. */
    private static final int MAX_METADATA_ENTRIES = 16;
    /** At most this many characters in a device metadata key. */
    private static final int MAX_METADATA_KEY_LENGTH = 64;
    /** At most this many characters in a device metadata value. */
    private static final int MAX_METADATA_VALUE_LENGTH = 512;

    public DeviceAuthorization {
        requireText(id, "id");
        requireText(tenant, "tenant");
        requireText(deviceCodeHash, "deviceCodeHash");
        requireText(userCodeHash, "userCodeHash");
        requireText(clientId, "clientId");
        requestedScopes = Set.copyOf(Objects.requireNonNull(requestedScopes, "requestedScopes"));
        deviceMetadata = Map.copyOf(Objects.requireNonNull(deviceMetadata, "deviceMetadata"));
        Objects.requireNonNull(status, "status");
        grantedScopes = Set.copyOf(Objects.requireNonNull(grantedScopes, "grantedScopes"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(interval, "interval");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if ((status == AuthorizationStatus.APPROVED || status == AuthorizationStatus.CONSUMED) && subject == null) {
            throw new IllegalArgumentException(status + " requires a subject");
        }
        if (!requestedScopes.containsAll(grantedScopes)) {
            throw new IllegalArgumentException("grantedScopes must be a subset of requestedScopes");
        }
        if (deviceMetadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_METADATA_ENTRIES + " device metadata entries");
        }
        deviceMetadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
                throw new IllegalArgumentException(
                        "device metadata keys must have 1 to " + MAX_METADATA_KEY_LENGTH + " characters");
            }
            if (value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw new IllegalArgumentException(
                        "device metadata values must have at most " + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        });
    }

    /**
     * True when {@code now} has reached {@link #expiresAt()}: at {@code expiresAt} itself the
     * codes no longer work (RFC 8628 §3.2, {@code expires_in} is their lifetime).
     */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** True when the record is {@link AuthorizationStatus#PENDING} and not expired at {@code now}. */
    public boolean isPendingAt(Instant now) {
        return status == AuthorizationStatus.PENDING && !isExpired(now);
    }

    /** A builder holding this record's values, for deriving the next version. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder with no values set; {@code status} defaults to PENDING, collections to empty. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    /** Assembles a {@link DeviceAuthorization}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String tenant;
        private String deviceCodeHash;
        private String userCodeHash;
        private String clientId;
        private Set<String> requestedScopes = Set.of();
        private Map<String, String> deviceMetadata = Map.of();
        private AuthorizationStatus status = AuthorizationStatus.PENDING;
        private String subject;
        private Set<String> grantedScopes = Set.of();
        private String claims;
        private Instant authTime;
        private Instant createdAt;
        private Instant expiresAt;
        private Duration interval;
        private Instant lastPolledAt;
        private long version;

        private Builder() {
        }

        private Builder(DeviceAuthorization a) {
            id = a.id;
            tenant = a.tenant;
            deviceCodeHash = a.deviceCodeHash;
            userCodeHash = a.userCodeHash;
            clientId = a.clientId;
            requestedScopes = a.requestedScopes;
            deviceMetadata = a.deviceMetadata;
            status = a.status;
            subject = a.subject;
            grantedScopes = a.grantedScopes;
            claims = a.claims;
            authTime = a.authTime;
            createdAt = a.createdAt;
            expiresAt = a.expiresAt;
            interval = a.interval;
            lastPolledAt = a.lastPolledAt;
            version = a.version;
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder tenant(String tenant) { this.tenant = tenant; return this; }
        public Builder deviceCodeHash(String hash) { this.deviceCodeHash = hash; return this; }
        public Builder userCodeHash(String hash) { this.userCodeHash = hash; return this; }
        public Builder clientId(String clientId) { this.clientId = clientId; return this; }
        public Builder requestedScopes(Set<String> scopes) { this.requestedScopes = scopes; return this; }
        public Builder deviceMetadata(Map<String, String> metadata) { this.deviceMetadata = metadata; return this; }
        public Builder status(AuthorizationStatus status) { this.status = status; return this; }
        public Builder subject(String subject) { this.subject = subject; return this; }
        public Builder grantedScopes(Set<String> scopes) { this.grantedScopes = scopes; return this; }
        public Builder claims(String claimsJson) { this.claims = claimsJson; return this; }
        public Builder authTime(Instant authTime) { this.authTime = authTime; return this; }
        public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }
        public Builder expiresAt(Instant expiresAt) { this.expiresAt = expiresAt; return this; }
        public Builder interval(Duration interval) { this.interval = interval; return this; }
        public Builder lastPolledAt(Instant lastPolledAt) { this.lastPolledAt = lastPolledAt; return this; }
        public Builder version(long version) { this.version = version; return this; }

        /** Sets {@code version} to one more than now: the usual step before {@code replace}. */
        public Builder nextVersion() { this.version = version + 1; return this; }

        public DeviceAuthorization build() {
            return new DeviceAuthorization(id, tenant, deviceCodeHash, userCodeHash, clientId, requestedScopes,
                    deviceMetadata, status, subject, grantedScopes, claims, authTime, createdAt, expiresAt,
                    interval, lastPolledAt, version);
        }
    }
}
