package org.devicegrant.storage.tck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;

/**
 * The plainest limiter that keeps the contract: lists of failure instants behind one lock, no
 * memory bound. The kit's own tests run the limiter contract against it (it must pass) and
 * against subclasses that break one rule each (they must fail). Not final, for those subclasses.
 */
class ReferenceLimiter implements AttemptLimiter {

    private final AttemptPolicy policy;
    private final Map<List<String>, List<Instant>> failures = new HashMap<>();
    private final Map<List<String>, Instant> lockedUntil = new HashMap<>();
    private final Map<List<String>, Integer> lockouts = new HashMap<>();
    private final Map<String, List<Instant>> tenantFailures = new HashMap<>();

    ReferenceLimiter(AttemptPolicy policy) {
        this.policy = policy;
    }

    @Override
    public AttemptPolicy policy() {
        return policy;
    }

    @Override
    public synchronized AttemptDecision tryAcquire(String tenant, String key, Instant now) {
        List<String> id = List.of(tenant, key);
        Instant locked = lockedUntil.get(id);
        if (locked != null && now.isBefore(locked)) {
            return AttemptDecision.refuse(Duration.between(now, locked));
        }
        List<Instant> own = failures.computeIfAbsent(id, k -> new ArrayList<>());
        long burst = own.stream()
                .filter(t -> t.isAfter(now.minus(policy.burstWindow())))
                .filter(t -> locked == null || !t.isBefore(locked))
                .count();
        if (burst >= policy.burstFailures()) {
            int n = lockouts.merge(id, 1, Integer::sum) - 1;
            Duration lockout = policy.initialLockout();
            for (int i = 0; i < n; i++) {
                lockout = lockout.multipliedBy(2);
                if (lockout.compareTo(policy.maxLockout()) >= 0) {
                    lockout = policy.maxLockout();
                    break;
                }
            }
            lockedUntil.put(id, now.plus(lockout));
            return AttemptDecision.refuse(lockout);
        }
        List<Instant> inWindow = own.stream().filter(t -> t.isAfter(now.minus(policy.window()))).sorted().toList();
        if (inWindow.size() >= policy.windowFailures()) {
            return AttemptDecision.refuse(Duration.between(now, inWindow.get(0).plus(policy.window())));
        }
        List<Instant> global = tenantFailures.computeIfAbsent(tenant, t -> new ArrayList<>());
        global.removeIf(t -> !t.isAfter(now.minus(policy.globalWindow())));
        if (global.size() >= policy.globalFailures()) {
            Instant oldest = global.stream().min(Instant::compareTo).orElseThrow();
            return AttemptDecision.refuse(Duration.between(now, oldest.plus(policy.globalWindow())));
        }
        global.add(now);
        own.add(now);
        return AttemptDecision.allow();
    }

    @Override
    public synchronized void recordSuccess(String tenant, String key, Instant now) {
        List<Instant> own = failures.get(List.of(tenant, key));
        if (own != null && !own.isEmpty()) {
            Instant charge = own.remove(own.size() - 1);
            List<Instant> global = tenantFailures.get(tenant);
            if (global != null) {
                global.remove(charge);
            }
        }
    }

    /** Forgets every failure of the key: what a success must never do. */
    synchronized void reset(String tenant, String key) {
        failures.remove(List.of(tenant, key));
    }
}
