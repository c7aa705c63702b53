package org.devicegrant.clientauth;

import java.util.HashMap;
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

    private final Map<Key, RegisteredClient> clients;

    private InMemoryClientRegistry(Map<Key, RegisteredClient> clients) {
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
    public Optional<RegisteredClient> find(String tenant, String clientId) {
        if (tenant == null || clientId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(clients.get(new Key(tenant, clientId)));
    }

    private record Key(String tenant, String clientId) {
    }

    /** Collects clients per tenant; {@link #build()} rejects duplicates. Not thread-safe. */
    public static final class Builder {
        private final Map<Key, RegisteredClient> clients = new LinkedHashMap<>();
        private final Map<Key, Integer> duplicates = new HashMap<>();

        private Builder() {
        }

        /**
         * Adds {@code client} to {@code tenant}.
         *
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if {@code tenant} is empty
         */
        public Builder client(String tenant, RegisteredClient client) {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(client, "client");
            if (tenant.isEmpty()) {
                throw new IllegalArgumentException("tenant must not be empty");
            }
            Key key = new Key(tenant, client.clientId());
            if (clients.putIfAbsent(key, client) != null) {
                duplicates.merge(key, 2, (count, one) -> count + 1);
            }
            return this;
        }

        /**
         * The registry holding every client added.
         *
         * @throws IllegalArgumentException if a (tenant, clientId) pair was added more than once
         */
        public InMemoryClientRegistry build() {
            if (!duplicates.isEmpty()) {
                Map.Entry<Key, Integer> first = duplicates.entrySet().iterator().next();
                throw new IllegalArgumentException("client " + first.getKey().clientId() + " of tenant "
                        + first.getKey().tenant() + " was added " + first.getValue()
                        + " times; each (tenant, clientId) must be added once");
            }
            return new InMemoryClientRegistry(clients);
        }
    }
}
