package org.devicegrant.clientauth;

import java.util.Optional;

/**
 * Where the device grant finds clients. The host implements it over its own client store, or
 * uses {@link InMemoryClientRegistry}. Implementations are thread-safe; a failing backend
 * throws {@link org.devicegrant.storage.StoreUnavailableException}.
 */
@FunctionalInterface
public interface ClientRegistry {

    /** The client of {@code tenant} with this id, or empty when there is none. */
    Optional<OAuthClient> find(String tenant, String clientId);
}
