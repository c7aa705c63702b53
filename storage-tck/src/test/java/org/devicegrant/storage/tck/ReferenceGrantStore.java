package org.devicegrant.storage.tck;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;

/**
 * The simplest grant store that keeps the contract: hash maps behind one lock. The kit's own tests
 * run the grant contract against it (it must pass) and against subclasses that break one rule each
 * (they must fail). Not final, for those subclasses.
 */
class ReferenceGrantStore implements GrantStore {

    record Key(String tenant, String value) {
    }

    private final Map<Key, Grant> byId = new HashMap<>();
    private final Map<Key, String> idByHash = new HashMap<>();

    /** The index key of {@code value} in {@code tenant}. */
    Key key(String tenant, String value) {
        return new Key(tenant, value);
    }

    @Override
    public synchronized void create(Grant grant) {
        String tenant = grant.tenant();
        if (byId.containsKey(key(tenant, grant.id()))) {
            throw new IllegalArgumentException("duplicate id");
        }
        if (grant.refreshTokenHash() != null && idByHash.containsKey(key(tenant, grant.refreshTokenHash()))) {
            throw new IllegalArgumentException("duplicate refresh-token hash");
        }
        byId.put(key(tenant, grant.id()), grant);
        if (grant.refreshTokenHash() != null) {
            idByHash.put(key(tenant, grant.refreshTokenHash()), grant.id());
        }
    }

    @Override
    public synchronized Optional<Grant> findById(String tenant, String grantId) {
        return Optional.ofNullable(byId.get(key(tenant, grantId)));
    }

    @Override
    public synchronized Optional<RefreshTokenMatch> findByRefreshTokenHash(String tenant, String refreshTokenHash) {
        String id = idByHash.get(key(tenant, refreshTokenHash));
        Grant grant = id == null ? null : byId.get(key(tenant, id));
        return grant == null ? Optional.empty()
                : Optional.of(new RefreshTokenMatch(grant, refreshTokenHash.equals(grant.refreshTokenHash())));
    }

    @Override
    public synchronized boolean replace(long expectedVersion, Grant next) {
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("next.version() must be expectedVersion + 1");
        }
        Grant current = byId.get(key(next.tenant(), next.id()));
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        checkReplaceable(current, next);
        if (revivesRevoked(current, next)) {
            return false;
        }
        store(current, next);
        return true;
    }

    /** Throws if {@code next} changes the client or subject, or takes another grant's hash. */
    synchronized void checkReplaceable(Grant current, Grant next) {
        if (!current.clientId().equals(next.clientId()) || !current.subject().equals(next.subject())) {
            throw new IllegalArgumentException("replace must keep the client and subject");
        }
        String hash = next.refreshTokenHash();
        String holder = hash == null ? null : idByHash.get(key(next.tenant(), hash));
        if (holder != null && !holder.equals(next.id())) {
            throw new IllegalArgumentException("the new refresh-token hash is held by another grant");
        }
    }

    /** Whether {@code next} would make a revoked grant active again. */
    boolean revivesRevoked(Grant current, Grant next) {
        return current.status() == GrantStatus.REVOKED && next.status() == GrantStatus.ACTIVE;
    }

    /** Writes {@code next} over {@code current} and indexes its hash; earlier hashes stay indexed, retired. */
    synchronized void store(Grant current, Grant next) {
        byId.put(key(next.tenant(), next.id()), next);
        if (next.refreshTokenHash() != null) {
            idByHash.put(key(next.tenant(), next.refreshTokenHash()), next.id());
        }
    }

    /** Drops {@code hash} of {@code tenant} from the index. */
    synchronized void forget(String tenant, String hash) {
        idByHash.remove(key(tenant, hash));
    }

    /** Every grant, any tenant. */
    synchronized List<Grant> all() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public synchronized List<Grant> listActive(String tenant, String subject, Instant now) {
        return byId.values().stream()
                .filter(grant -> grant.tenant().equals(tenant) && grant.subject().equals(subject))
                .filter(grant -> grant.isActive(now))
                .sorted(Comparator.comparing(Grant::lastUsedAt).reversed())
                .toList();
    }

    @Override
    public synchronized int deleteExpired(Instant before, int maxCount) {
        List<Grant> purgeable = byId.values().stream()
                .filter(grant -> purgeTime(grant).isBefore(before))
                .sorted(Comparator.comparing(ReferenceGrantStore::purgeTime))
                .limit(maxCount)
                .toList();
        for (Grant grant : purgeable) {
            byId.remove(key(grant.tenant(), grant.id()));
            String tenant = key(grant.tenant(), grant.id()).tenant();
            idByHash.entrySet().removeIf(entry -> entry.getKey().tenant().equals(tenant)
                    && entry.getValue().equals(grant.id()));
        }
        return purgeable.size();
    }

    static Instant purgeTime(Grant grant) {
        Instant revokedAt = grant.revokedAt();
        return revokedAt != null && revokedAt.isBefore(grant.expiresAt()) ? revokedAt : grant.expiresAt();
    }
}
