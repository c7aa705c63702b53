package org.devicegrant.storage.inmemory;

import java.time.Instant;
import java.util.ArrayList;

/**
 * The instants of charged failures, oldest first; duplicates allowed. Not thread-safe: the
 * limiter guards each log (a key's by its map entry, a tenant's by the log's monitor).
 */
final class FailureLog {
    private final ArrayList<Instant> times = new ArrayList<>(4);

    void add(Instant t) {
        times.add(firstAfter(t), t);
    }

    /** Forgets every failure at or before {@code cutoff}. */
    void dropUpTo(Instant cutoff) {
        times.subList(0, firstAfter(cutoff)).clear();
    }

    /** How many failures are after {@code cutoff}. */
    int countAfter(Instant cutoff) {
        return times.size() - firstAfter(cutoff);
    }

    /** The oldest failure after {@code cutoff}, or null. */
    Instant oldestAfter(Instant cutoff) {
        int i = firstAfter(cutoff);
        return i < times.size() ? times.get(i) : null;
    }

    /** The newest failure, or null. */
    Instant newest() {
        return times.isEmpty() ? null : times.get(times.size() - 1);
    }

    /** Forgets one failure at exactly {@code t}, if there is one. */
    void removeOne(Instant t) {
        int i = times.lastIndexOf(t);
        if (i >= 0) {
            times.remove(i);
        }
    }

    int size() {
        return times.size();
    }

    /** Index of the first element strictly after {@code t}. */
    private int firstAfter(Instant t) {
        int low = 0;
        int high = times.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times.get(mid).isAfter(t)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }
}
