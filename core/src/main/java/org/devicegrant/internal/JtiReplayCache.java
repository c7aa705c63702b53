package org.devicegrant.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Remembers the {@code jti} of every accepted client assertion until a given instant, so that
 * a second use of the same assertion is refused (RFC 7523 §3, item 7).
 *
 * <p>Memory is bounded: at most {@code capacity} entries. Expired entries are dropped on each
 * call, oldest first, so cleanup costs amortised O(log n) per call and no background thread is
 * needed. When the cache is full of unexpired entries a new {@code jti} is refused rather than
 * forgetting an old one (fail closed).
 *
 * <p>Per process: two nodes behind a load balancer each keep their own cache, so an assertion
 * replayed against the other node is not detected there.
 *
 * <p>Thread-safe: one lock guards all state; the critical section is a few map operations.
 */
final class JtiReplayCache {

    /** What {@link #markUsed} found. */
    enum Outcome {
        /** Not seen before; now remembered. */
        FIRST_USE,
        /** Already remembered and not yet forgotten. */
        REPLAYED,
        /** Not seen before, but the cache is full; nothing remembered. */
        FULL
    }

    /** One remembered assertion: its jti, scoped by tenant and client. */
    record Key(String tenant, String clientId, String jti) {
        Key {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(jti, "jti");
        }
    }

    private record Entry(Key key, Instant forgetAt) {
    }

    private final int capacity;
    private final Map<Key, Instant> forgetAt = new HashMap<>();
    private final PriorityQueue<Entry> byForgetAt = new PriorityQueue<>(Comparator.comparing(Entry::forgetAt));

    JtiReplayCache(int capacity) {
        Setting.require(capacity >= 1, "capacity", "at least 1", capacity);
        this.capacity = capacity;
    }

    /**
     * Records {@code key} as used until {@code until}, unless it is already recorded.
     *
     * @param now the caller's clock reading; entries whose {@code until} is not after it are
     *            forgotten first
     */
    synchronized Outcome markUsed(Key key, Instant until, Instant now) {
        forgetExpired(now);
        if (forgetAt.containsKey(key)) {
            return Outcome.REPLAYED;
        }
        if (forgetAt.size() >= capacity) {
            return Outcome.FULL;
        }
        forgetAt.put(key, until);
        byForgetAt.add(new Entry(key, until));
        return Outcome.FIRST_USE;
    }

    /** How many entries are remembered now, expired ones included until the next call. */
    synchronized int size() {
        return forgetAt.size();
    }

    private void forgetExpired(Instant now) {
        while (!byForgetAt.isEmpty() && !byForgetAt.peek().forgetAt().isAfter(now)) {
            Entry oldest = byForgetAt.poll();
            forgetAt.remove(oldest.key(), oldest.forgetAt());
        }
    }
}
