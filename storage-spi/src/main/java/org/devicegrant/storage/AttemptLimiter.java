package org.devicegrant.storage;

import java.time.Instant;

/**
 * Budgets for user-code entry (RFC 8628 §5.1: "the authorization server should rate-limit user
 * code attempts"), per attempt key and per tenant, by an {@link AttemptPolicy}.
 *
 * <p>Protocol, per attempt: call {@link #tryAcquire} <em>before</em> looking the code up. A
 * refused attempt must not be evaluated at all, even if its code is right. An allowed attempt
 * is charged as a failure at once, so that concurrent attempts can never overspend a budget;
 * when the code turns out right, call {@link #recordSuccess} to refund that one charge. Earlier
 * failures stay counted: a success never resets a key.
 *
 * <p>The attempt key is whatever identifies the source to the host: the client IP taken from
 * a trusted proxy header, the logged-in subject, or both. It is not a secret, but
 * implementations should not log it verbatim when it names a person.
 *
 * <p>Implementations are thread-safe; shared ones (JDBC, Redis) make the counters atomic
 * across nodes so that the global budget is exact cluster-wide.
 *
 * <p>The {@code tenant} argument names a budget namespace, not only a tenant: core also budgets
 * client-secret failures (RFC 6749 §2.3.1) in namespaces of their own, one per tenant and source
 * address, so namespaces can be many and short-lived. An implementation must not keep a
 * namespace for good once nothing in it counts any more.
 */
public interface AttemptLimiter {

    /** The budgets this limiter enforces; the core uses them for the brute-force risk check. */
    AttemptPolicy policy();

    /**
     * Decides one attempt and, if it is allowed, charges it as a failure of {@code key} and of
     * the tenant's global budget, atomically with the decision.
     *
     * @throws StoreUnavailableException a shared backend failed; the caller refuses the attempt
     */
    AttemptDecision tryAcquire(String tenant, String key, Instant now);

    /**
     * Refunds the charge of one allowed attempt whose code was right. Earlier failures of the
     * key stay counted.
     *
     * @throws StoreUnavailableException a shared backend failed
     */
    void recordSuccess(String tenant, String key, Instant now);
}
