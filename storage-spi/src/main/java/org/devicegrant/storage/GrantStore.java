package org.devicegrant.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where grants and the hashes of their refresh tokens live, from the first token until the grant
 * lapses or is revoked and purged.
 *
 * <p><b>Contract every implementation keeps</b> (the storage TCK's {@code GrantStoreContract}
 * checks each point):
 * <ul>
 *   <li>All methods are thread-safe, and safe across processes sharing one backend.</li>
 *   <li>Every lookup is scoped by tenant: a grant of tenant A is never returned for tenant B, even
 *       for the same id or refresh-token hash.</li>
 *   <li>Grants are immutable values; they change only through {@link #replace}, a compare-and-set
 *       on {@link Grant#version()}. Of any number of concurrent replaces of one version, at most one
 *       succeeds: this is what makes a refresh token usable once.</li>
 *   <li>Every refresh-token hash a grant ever held stays findable, as current or retired, for as
 *       long as the grant is kept, so that reuse of a retired token is recognised.</li>
 *   <li>A revoked grant is never made active again: a replace from REVOKED to ACTIVE is refused.</li>
 *   <li>Stores never see a raw token; they persist exactly the fields of {@link Grant}.</li>
 *   <li>An infrastructure fault is a {@link StoreUnavailableException}; a store that throws it has
 *       changed nothing.</li>
 * </ul>
 */
public interface GrantStore {

    /**
     * Stores a new grant and indexes its refresh-token hash (if any) as current.
     *
     * @throws IllegalArgumentException a grant with this id, or a grant holding this refresh-token
     *                                  hash, already exists in the tenant (nothing is written)
     * @throws StoreUnavailableException the backend failed
     */
    void create(Grant grant);

    /** The grant with this id in this tenant, whatever its status, until purged. */
    Optional<Grant> findById(String tenant, String grantId);

    /**
     * The grant that holds or held this refresh-token hash in this tenant, and whether it is the
     * grant's current one.
     */
    Optional<RefreshTokenMatch> findByRefreshTokenHash(String tenant, String refreshTokenHash);

    /**
     * Compare-and-set: stores {@code next} only if the stored grant of the same tenant and id has
     * {@code expectedVersion}, and {@code next.version()} is {@code expectedVersion + 1}. When
     * {@code next} carries a different refresh-token hash, the new hash becomes current and the old
     * one retired, in the same atomic step. A retired hash never becomes current again: callers
     * always rotate to a fresh token (a store may refuse such a {@code next}).
     *
     * @return true if stored; false if the version moved on, the grant is gone, or {@code next}
     *         would make a revoked grant active (nothing is written)
     * @throws IllegalArgumentException {@code next} changes the grant's id, tenant, client or subject,
     *                                  or its new refresh-token hash is held by another grant
     */
    boolean replace(long expectedVersion, Grant next);

    /** The active (not revoked, not lapsed at {@code now}) grants of {@code subject}, most recently used first. */
    List<Grant> listActive(String tenant, String subject, Instant now);

    /**
     * Deletes up to {@code maxCount} grants (with all their refresh-token hashes) that lapsed or were
     * revoked before {@code before}: housekeeping only.
     *
     * @return how many grants were deleted
     */
    int deleteExpired(Instant before, int maxCount);
}
