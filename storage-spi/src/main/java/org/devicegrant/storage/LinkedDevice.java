package org.devicegrant.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A device that a user linked to their account: an authorization that produced tokens. Kept per
 * subject so that a "Your devices" page can list it and the user can unlink it. Immutable; never
 * holds a code or a token.
 *
 * @param tenant          the tenant
 * @param subject         the user who approved
 * @param authorizationId the device authorization that produced the tokens (what the host's
 *                        revocation hook is told)
 * @param clientId        the device's client
 * @param deviceMetadata  what was known of the device when it asked
 * @param scopes          the scopes granted
 * @param firstUsed       when tokens were first issued
 * @param lastUsed        when the device was last seen using them (as the host reports it)
 */
public record LinkedDevice(String tenant, String subject, String authorizationId, String clientId,
        Map<String, String> deviceMetadata, Set<String> scopes, Instant firstUsed, Instant lastUsed) {

    public LinkedDevice {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(authorizationId, "authorizationId");
        Objects.requireNonNull(clientId, "clientId");
        deviceMetadata = Map.copyOf(deviceMetadata);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(firstUsed, "firstUsed");
        Objects.requireNonNull(lastUsed, "lastUsed");
    }

    /** This device, last used at {@code when} (never earlier than now recorded). */
    public LinkedDevice usedAt(Instant when) {
        return when.isAfter(lastUsed)
                ? new LinkedDevice(tenant, subject, authorizationId, clientId, deviceMetadata, scopes, firstUsed, when)
                : this;
    }
}
