package org.devicegrant.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Where device authorizations live between the device's first request and its last poll.
 *
 * <p><b>Contract every implementation keeps</b> (the storage TCK checks each point):
 * <ul>
 *   <li>All methods are thread-safe, and safe across processes sharing one backend.</li>
 *   <li>Every lookup is scoped by tenant: a record of tenant A is never returned for tenant B,
 *       even with the same hash.</li>
 *   <li>Records are immutable values. State changes only through {@link #replace}, a
 *       compare-and-set on {@link DeviceAuthorization#version()}.</li>
 *   <li>Records stay findable after {@link DeviceAuthorization#expiresAt()}, so that a late
 *       poll still learns {@code expired_token} (RFC 8628 §3.5), until
 *       {@link #deleteExpired} removes them or, for stores with native expiry, until a
 *       retention period after {@code expiresAt} that the store documents.</li>
 *   <li>Stores never see a raw device code, user code or token; they persist exactly the
 *       fields of {@link DeviceAuthorization}.</li>
 *   <li>An infrastructure fault is a {@link StoreUnavailableException}; a store that throws it
 *       has changed nothing.</li>
 * </ul>
 */
public interface DeviceAuthorizationStore {

    /**
     * Stores a new authorization, atomically with the user-code uniqueness check and the
     * tenant's pending cap.
     *
     * <p>Fails, writing nothing, when a record of the same tenant that is not expired at
     * {@code now} already holds the same {@code userCodeHash}. A holder that is expired at
     * {@code now} does not block: the new record takes over the user code, and from then on
     * {@link #findByUserCodeHash} returns the new record while the old one stays findable by
     * its device-code hash. Never overwrites an existing record.
     *
     * <p><b>Pending cap.</b> The caller owns the cap: {@code DeviceGrant} resolves the tenant's
     * {@code maxPendingPerTenant} from its settings and passes it here; stores have no cap of
     * their own. The store enforces it: when {@code authorization} is pending at {@code now}
     * and the tenant already holds {@code maxPendingInTenant} records that are
     * {@link AuthorizationStatus#PENDING} and not expired at {@code now} (the records
     * {@link #countPending(String, Instant)} counts), the create fails with
     * {@link PendingLimitExceededException}, writing nothing. A record that is not pending at
     * {@code now} is never refused for the cap. How exact the cap is when creates of one tenant
     * run concurrently is a property of the store, which its documentation states: a store
     * that checks and inserts in one atomic step never lets concurrent creates leave more than
     * {@code maxPendingInTenant} pending records (the in-memory and Redis stores); a store that
     * cannot must state its bound (the JDBC store). The per-client cap is not passed here: the
     * caller checks it with {@link #countPending(String, String, Instant)} beforehand.
     *
     * <p>The record carries its own {@code expiresAt}; stores with native time-to-live may use
     * it (plus their retention period).
     *
     * @param authorization      a new record, normally {@link AuthorizationStatus#PENDING} with version 0
     * @param now                the caller's clock reading, which decides whether a holder of
     *                           the same user code is expired and which records still count
     *                           as pending
     * @param maxPendingInTenant the most pending records the tenant may hold, at least 1;
     *                           {@link Long#MAX_VALUE} for no cap
     * @throws UserCodeCollisionException    an unexpired record of the tenant holds the user code
     * @throws PendingLimitExceededException the tenant already holds {@code maxPendingInTenant}
     *                                       pending records
     * @throws IllegalArgumentException      a record with the same id or device-code hash
     *                                       exists, or {@code maxPendingInTenant} is below 1
     * @throws StoreUnavailableException     the backend failed; nothing was written
     */
    void create(DeviceAuthorization authorization, Instant now, long maxPendingInTenant)
            throws UserCodeCollisionException, PendingLimitExceededException;

    /**
     * The record of {@code tenant} whose device-code hash is {@code deviceCodeHash}, expired
     * or not, as long as it is retained. Indexed or O(1), never a scan.
     *
     * @throws StoreUnavailableException the backend failed
     */
    Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String deviceCodeHash);

    /**
     * The record of {@code tenant} that holds {@code userCodeHash}: the most recently created
     * one when an expired holder was taken over. It may itself be expired or in any status;
     * the caller decides what that means. Indexed or O(1), never a scan.
     *
     * @throws StoreUnavailableException the backend failed
     */
    Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String userCodeHash);

    /**
     * The record of {@code tenant} with this id, expired or not, as long as it is retained.
     *
     * @throws StoreUnavailableException the backend failed
     */
    Optional<DeviceAuthorization> findById(String tenant, String id);

    /**
     * Replaces the stored record with {@code next} if, and only if, the stored record with
     * {@code next.id()} in {@code next.tenant()} still has {@code expectedVersion}. Atomic: of
     * any number of concurrent callers presenting the same {@code expectedVersion}, across
     * threads and processes, at most one wins. A loser changes nothing.
     *
     * <p>The identity of a record never changes: {@code next} must keep the stored record's
     * tenant, hashes, client id, creation time and expiry.
     *
     * @return true if {@code next} is now stored; false if the version had moved on or the
     *         record no longer exists
     * @throws IllegalArgumentException  {@code next.version()} is not greater than
     *                                   {@code expectedVersion}; a store may also throw it, or
     *                                   return false, when {@code next} changes the identity of
     *                                   the stored record; either way nothing is written
     * @throws StoreUnavailableException the backend failed; the stored record is either
     *                                   unchanged or {@code next}, never anything else
     */
    boolean replace(long expectedVersion, DeviceAuthorization next);

    /**
     * Deletes up to {@code maxCount} records whose {@code expiresAt} is before
     * {@code expiredBefore}, in any tenant. Housekeeping only: correctness never depends on it.
     * Bounded so that one call never holds the backend for long; call again while it returns
     * {@code maxCount}.
     *
     * @return how many records were deleted
     * @throws IllegalArgumentException  {@code maxCount} is not positive
     * @throws StoreUnavailableException the backend failed
     */
    int deleteExpired(Instant expiredBefore, int maxCount);

    /**
     * How many records of {@code tenant} are {@link AuthorizationStatus#PENDING} and not expired at
     * {@code now}. For reporting: the tenant's cap is enforced by {@link #create} itself. It may
     * lag behind a record that expired or left PENDING an instant ago, or a create racing it,
     * but never by more than those in-flight changes.
     *
     * @throws StoreUnavailableException the backend failed
     */
    long countPending(String tenant, Instant now);

    /**
     * Like {@link #countPending(String, Instant)}, for the records of one client: what the
     * caller checks the per-client cap with before it creates.
     *
     * @throws StoreUnavailableException the backend failed
     */
    long countPending(String tenant, String clientId, Instant now);
}
