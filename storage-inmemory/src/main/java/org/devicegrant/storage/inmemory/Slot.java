package org.devicegrant.storage.inmemory;

import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.devicegrant.storage.DeviceAuthorization;

/**
 * The one mutable cell of a stored record: every index maps to the same slot, and {@code replace}
 * is a compare-and-set on it. Holds null once the record is deleted, so that a racing
 * {@code replace} fails. The identity fields never change, so a slot is also its own entry in
 * the ordered expiry sets.
 */
final class Slot extends AtomicReference<DeviceAuthorization> {
    private static final long serialVersionUID = 1L;

    private static final AtomicLong CREATED = new AtomicLong();

    /**
     * Earliest expiry first; ties broken by creation order, which is unique per slot. Written out
     * rather than composed from {@code Comparator.comparing}: every create and purge runs it a few
     * dozen times.
     */
    static final Comparator<Slot> BY_EXPIRY = (a, b) -> {
        int byTime = a.expiresAt.compareTo(b.expiresAt);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    };

    final String tenant;
    final String id;
    final String clientId;
    final Instant expiresAt;
    private final long sequence = CREATED.incrementAndGet();
    /**
     * A hint, set before the slot enters its tenant's pending set and cleared after it leaves, so
     * that deleting a slot that left long ago skips a search. Only {@code pending.remove} decides.
     */
    volatile boolean inPendingSet;

    Slot(DeviceAuthorization record) {
        super(record);
        this.tenant = record.tenant();
        this.id = record.id();
        this.clientId = record.clientId();
        this.expiresAt = record.expiresAt();
    }
}
