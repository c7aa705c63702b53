package org.devicegrant.storage.memory;

import java.time.Instant;
import java.util.Comparator;
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

    /** Earliest expiry first; ties broken by tenant, then id, which together are unique. */
    static final Comparator<Slot> BY_EXPIRY = Comparator.comparing((Slot s) -> s.expiresAt)
            .thenComparing(s -> s.tenant)
            .thenComparing(s -> s.id);

    final String tenant;
    final String id;
    final String clientId;
    final Instant expiresAt;

    Slot(DeviceAuthorization record) {
        super(record);
        this.tenant = record.tenant();
        this.id = record.id();
        this.clientId = record.clientId();
        this.expiresAt = record.expiresAt();
    }
}
