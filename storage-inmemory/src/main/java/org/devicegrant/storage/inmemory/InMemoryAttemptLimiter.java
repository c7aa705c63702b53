package org.devicegrant.storage.inmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;

/**
 * The embedded {@link AttemptLimiter}: sliding windows per attempt key and per tenant, kept in
 * this JVM's heap, enforcing an {@link AttemptPolicy} (RFC 8628 §5.1). Exact for one node only;
 * a cluster needs a shared limiter.
 *
 * <p>Semantics are those of the storage TCK's {@code AttemptLimiterContract}: an allowed attempt
 * is charged at once and {@link #recordSuccess} refunds the key's newest charge; a key with
 * {@code burstFailures} failures in {@code burstWindow} is refused and locked out for
 * {@code initialLockout}, doubling with each further lockout up to {@code maxLockout}; a key
 * with {@code windowFailures} failures in {@code window} waits until the oldest leaves it; a
 * tenant's keys together get exactly {@code globalFailures} charges per {@code globalWindow}. A
 * key that has been quiet (no failure, no lockout) for the longer of the two key windows is
 * forgotten, lockout doubling included.
 *
 * <p>Thread-safe. Each key's decision is atomic through {@code ConcurrentHashMap.compute}; the
 * tenant's global budget is checked and charged in its own {@code compute}, inside the key's
 * step, so it is never overspent. Memory is bounded: a key holds at most
 * {@code max(burstFailures, windowFailures)} instants, a tenant at most {@code globalFailures},
 * and a tenant keeps at most {@code globalFailures} keys per {@code globalWindow} (a refused
 * attempt leaves nothing behind), so a tenant used as one source address's namespace holds a
 * bounded amount whatever keys it names. A tenant whose budget holds no failure is dropped, and
 * every call also inspects {@value #SWEEP_PER_CALL} tracked keys and as many tenants and drops
 * them if quiet, so forgotten keys and tenants do not accumulate. No background thread.
 */
public final class InMemoryAttemptLimiter implements AttemptLimiter {

    /** Tracked keys inspected for staleness by each call. */
    static final int SWEEP_PER_CALL = 2;

    private final AttemptPolicy policy;
    private final Duration keyMemory;
    private final ConcurrentHashMap<LimiterKey, KeyState> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, FailureLog> budgets = new ConcurrentHashMap<>();
    private final ReentrantLock sweepLock = new ReentrantLock();
    private Iterator<LimiterKey> sweepCursor;
    private Iterator<String> tenantSweepCursor;

    /** A limiter enforcing {@link AttemptPolicy#defaults()}. */
    public InMemoryAttemptLimiter() {
        this(AttemptPolicy.defaults());
    }

    /**
     * A limiter enforcing {@code policy}.
     *
     * @throws NullPointerException {@code policy} is null
     */
    public InMemoryAttemptLimiter(AttemptPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.keyMemory = policy.window().compareTo(policy.burstWindow()) >= 0 ? policy.window() : policy.burstWindow();
    }

    /** The policy given at construction. */
    @Override
    public AttemptPolicy policy() {
        return policy;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public AttemptDecision tryAcquire(String tenant, String key, Instant now) {
        Objects.requireNonNull(now, "now");
        LimiterKey limiterKey = new LimiterKey(tenant, key);
        AttemptDecision[] decision = new AttemptDecision[1];
        keys.compute(limiterKey, (k, existing) -> {
            KeyState state = existing == null || existing.isQuietAt(now, keyMemory) ? new KeyState() : existing;
            decision[0] = decide(state, tenant, now);
            return state.isQuietAt(now, keyMemory) ? null : state;
        });
        sweep(now);
        return decision[0];
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public void recordSuccess(String tenant, String key, Instant now) {
        Objects.requireNonNull(now, "now");
        keys.computeIfPresent(new LimiterKey(tenant, key), (k, state) -> {
            Instant charge = state.failures.newest();
            if (charge != null) {
                state.failures.removeOne(charge);
                budgets.computeIfPresent(tenant, (t, budget) -> {
                    budget.removeOne(charge);
                    return budget.size() == 0 ? null : budget;
                });
            }
            return state.isQuietAt(now, keyMemory) ? null : state;
        });
    }

    /** How many keys are tracked now; for tests of the memory bound. */
    int trackedKeys() {
        return keys.size();
    }

    /** How many tenants' global budgets are tracked now; for tests of the memory bound. */
    int trackedTenants() {
        return budgets.size();
    }

    private AttemptDecision decide(KeyState state, String tenant, Instant now) {
        if (state.lockedUntil != null && now.isBefore(state.lockedUntil)) {
            return AttemptDecision.refuse(Duration.between(now, state.lockedUntil));
        }
        state.failures.dropUpTo(now.minus(keyMemory));

        // RFC 8628 §5.1: "the authorization server should rate-limit user code attempts"
        Instant burstCutoff = now.minus(policy.burstWindow());
        if (state.burstFloor != null && state.burstFloor.minusNanos(1).isAfter(burstCutoff)) {
            burstCutoff = state.burstFloor.minusNanos(1);
        }
        if (state.failures.countAfter(burstCutoff) >= policy.burstFailures()) {
            Duration lockout = lockoutAfter(state.lockouts);
            state.lockouts++;
            state.lockedUntil = now.plus(lockout);
            state.burstFloor = state.lockedUntil;
            return AttemptDecision.refuse(lockout);
        }

        Instant windowCutoff = now.minus(policy.window());
        if (state.failures.countAfter(windowCutoff) >= policy.windowFailures()) {
            Instant oldest = state.failures.oldestAfter(windowCutoff);
            return AttemptDecision.refuse(Duration.between(now, oldest.plus(policy.window())));
        }

        AttemptDecision[] global = new AttemptDecision[1];
        budgets.compute(tenant, (t, existing) -> {
            FailureLog budget = existing == null ? new FailureLog() : existing;
            budget.dropUpTo(now.minus(policy.globalWindow()));
            if (budget.size() >= policy.globalFailures()) {
                Instant oldest = budget.oldestAfter(Instant.MIN);
                global[0] = AttemptDecision.refuse(Duration.between(now, oldest.plus(policy.globalWindow())));
            } else {
                budget.add(now);
                global[0] = AttemptDecision.allow();
            }
            return budget;
        });
        if (global[0].allowed()) {
            state.failures.add(now);
        }
        return global[0];
    }

    private Duration lockoutAfter(int earlierLockouts) {
        Duration lockout = policy.initialLockout();
        for (int i = 0; i < earlierLockouts && lockout.compareTo(policy.maxLockout()) < 0; i++) {
            lockout = lockout.multipliedBy(2);
        }
        return lockout.compareTo(policy.maxLockout()) > 0 ? policy.maxLockout() : lockout;
    }

    private void sweep(Instant now) {
        if (!sweepLock.tryLock()) {
            return;
        }
        try {
            for (int i = 0; i < SWEEP_PER_CALL; i++) {
                if (sweepCursor == null || !sweepCursor.hasNext()) {
                    sweepCursor = keys.keySet().iterator();
                }
                if (sweepCursor.hasNext()) {
                    keys.computeIfPresent(sweepCursor.next(), (k, state) -> state.isQuietAt(now, keyMemory) ? null : state);
                }
                if (tenantSweepCursor == null || !tenantSweepCursor.hasNext()) {
                    tenantSweepCursor = budgets.keySet().iterator();
                }
                if (tenantSweepCursor.hasNext()) {
                    budgets.computeIfPresent(tenantSweepCursor.next(), (t, budget) -> {
                        budget.dropUpTo(now.minus(policy.globalWindow()));
                        return budget.size() == 0 ? null : budget;
                    });
                }
            }
        } finally {
            sweepLock.unlock();
        }
    }

    private record LimiterKey(String tenant, String key) {
        LimiterKey {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(key, "key");
        }
    }

    /** One key's failures and lockout; guarded by the key's map entry. */
    private static final class KeyState {
        final FailureLog failures = new FailureLog();
        Instant lockedUntil;
        Instant burstFloor;
        int lockouts;

        /** No failure and no lockout within {@code memory} before {@code now}: nothing worth keeping. */
        boolean isQuietAt(Instant now, Duration memory) {
            Instant newest = failures.newest();
            Instant lastActivity = newest;
            if (lockedUntil != null && (lastActivity == null || lockedUntil.isAfter(lastActivity))) {
                lastActivity = lockedUntil;
            }
            return lastActivity == null || !now.isBefore(lastActivity.plus(memory));
        }
    }
}
