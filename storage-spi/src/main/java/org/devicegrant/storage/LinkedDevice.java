package org.devicegrant.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A device that a user linked to their account: a view of one active {@link Grant}, for a "Your
 * devices" page to list and the user to unlink. Immutable; never holds a code or a token.
 *
 * @param tenant          the tenant
 * @param subject         the user who approved
 * @param authorizationId the grant's id, which is the id of the device authorization that produced
 *                        it (what the host's revocation hook is told, and what unlinking takes)
 * @param clientId        the device's client
 * @param deviceMetadata  what was known of the device when it asked
 * @param scopes          the scopes granted
 * @param firstUsed       when the grant's first tokens were issued
 * @param lastUsed        when tokens were last issued under the grant (its first tokens or a refresh)
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
}
