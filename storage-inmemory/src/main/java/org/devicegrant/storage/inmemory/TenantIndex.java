package org.devicegrant.storage.inmemory;

import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the store keeps for one tenant: three hash indexes onto the same slots, and the
 * pending records ordered by expiry with their counters.
 *
 * <p>Counting rule: a slot is counted as pending while it is in {@link #pending}; whoever removes
 * it from there (a replace that leaves PENDING, a trim at expiry, a delete) decrements the
 * counters, so each slot is decremented exactly once. {@link #pendingCount} also includes
 * creates that have reserved a place but not yet finished.
 */
final class TenantIndex {
    final ConcurrentHashMap<String, Slot> byId = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Slot> byDeviceCodeHash = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Slot> byUserCodeHash = new ConcurrentHashMap<>();
    final ConcurrentSkipListSet<Slot> pending = new ConcurrentSkipListSet<>(Slot.BY_EXPIRY);
    final AtomicLong pendingCount = new AtomicLong();
    final ConcurrentHashMap<String, AtomicLong> pendingByClient = new ConcurrentHashMap<>();

    void addPending(Slot slot) {
        pendingByClient.computeIfAbsent(slot.clientId, c -> new AtomicLong()).incrementAndGet();
        slot.inPendingSet = true;
        pending.add(slot);
    }

    /** Removes {@code slot} from the pending set; true (and counters decremented) if this call removed it. */
    boolean removePending(Slot slot) {
        // most slots left the set long before they are deleted: skip the search in the skip list
        if (!slot.inPendingSet || !pending.remove(slot)) {
            return false;
        }
        slot.inPendingSet = false;
        pendingCount.decrementAndGet();
        AtomicLong perClient = pendingByClient.get(slot.clientId);
        if (perClient != null) {
            perClient.decrementAndGet();
        }
        return true;
    }

    /** Drops pending entries that are expired at {@code now}, from the head; returns how many. */
    int trimExpiredPending(Instant now) {
        int trimmed = 0;
        for (Slot head = firstOrNull(); head != null && !now.isBefore(head.expiresAt); head = firstOrNull()) {
            if (removePending(head)) {
                trimmed++;
            }
        }
        return trimmed;
    }

    long pendingOf(String clientId) {
        AtomicLong perClient = pendingByClient.get(clientId);
        return perClient == null ? 0 : perClient.get();
    }

    private Slot firstOrNull() {
        try {
            return pending.first();
        } catch (NoSuchElementException empty) {
            return null;
        }
    }
}
