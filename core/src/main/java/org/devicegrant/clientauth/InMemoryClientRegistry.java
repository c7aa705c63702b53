package org.devicegrant.clientauth;

import org.devicegrant.internal.Setting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ClientRegistry} built once from code and never changed afterwards: the default for
 * hosts that configure their few device clients at start-up.
 *
 * <p>Immutable and thread-safe; {@link #find} is a single hash lookup and never throws
 * {@link org.devicegrant.storage.StoreUnavailableException}.
 */
public final class InMemoryClientRegistry implements ClientRegistry {

    private final Map<Key, OAuthClient> clients;

    private InMemoryClientRegistry(Map<Key, OAuthClient> clients) {
        this.clients = Map.copyOf(clients);
    }

    /** A builder with no clients; not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The client of {@code tenant} with this id, or empty when there is none, including when
     * either argument is null.
     */
    @Override
    public Optional<OAuthClient> find(String tenant, String clientId) {
        if (tenant == null || clientId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(clients.get(new Key(tenant, clientId)));
    }

    private record Key(String tenant, String clientId) {
    }

    /**
     * Collects clients per tenant; each (tenant, clientId) may be added once, a second time throws
     * {@link IllegalStateException}. Not thread-safe.
     */
    public static final class Builder {
        private final Map<Key, OAuthClient> clients = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds {@code client} to {@code tenant}.
         *
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if {@code tenant} is empty
         * @throws IllegalStateException    if {@code tenant} already has a client with this id
         */
        public Builder client(String tenant, OAuthClient client) {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(client, "client");
            Setting.require(!tenant.isEmpty(), "tenant", "a non-empty tenant name", "empty");
            Key key = new Key(tenant, client.clientId());
            clients.put(key, Setting.once(clients.get(key), client,
                    "client " + client.clientId() + " of tenant " + tenant));
            return this;
        }

        /** The registry holding every client added. */
        public InMemoryClientRegistry build() {
            return new InMemoryClientRegistry(clients);
        }
    }
}
