package org.devicegrant.storage.inmemory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.tck.Fixtures;

/**
 * Measures the heap an {@link InMemoryDeviceAuthorizationStore} needs per pending record: heap
 * used after {@code System.gc()} (read through {@link MemoryMXBean}) before and after creating
 * {@value #RECORDS} realistic records, divided by the count. Realistic means 43-character
 * base64url hashes, three scopes and two metadata entries, every string a distinct object as if
 * freshly parsed from a request. Run {@link #main} for the figure; not a benchmark.
 */
final class MemoryFootprint {

    static final int RECORDS = 100_000;

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%.0f bytes per pending record%n", bytesPerRecord());
    }

    /** Heap bytes per pending record, records included, measured once. */
    static double bytesPerRecord() throws Exception {
        Instant now = Fixtures.START;
        long before = usedHeapAfterGc();
        InMemoryDeviceAuthorizationStore store = InMemoryDeviceAuthorizationStore.create();
        for (int i = 0; i < RECORDS; i++) {
            store.create(realistic(i, now), now, Long.MAX_VALUE);
        }
        long after = usedHeapAfterGc();
        if (store.countPending(Fixtures.TENANT, now) != RECORDS) {
            throw new IllegalStateException("not every record was stored");
        }
        return (after - before) / (double) RECORDS;
    }

    private static DeviceAuthorization realistic(int i, Instant now) {
        return DeviceAuthorization.builder()
                .id(fresh("da-" + i + "-x7Kq2mZp9Rw"))
                .tenant(Fixtures.TENANT)
                .deviceCodeHash(Fixtures.deviceCodeHash("device-code-" + i))
                .userCodeHash(Fixtures.userCodeHash("USERCODE" + i))
                .clientId(fresh("tv-client"))
                .requestedScopes(Set.of(fresh("openid"), fresh("profile"), fresh("offline_access")))
                .deviceMetadata(Map.of(fresh("device_name"), fresh("Living room TV"),
                        fresh("device_model"), fresh("DG-" + i)))
                .createdAt(now)
                .expiresAt(now.plus(Duration.ofMinutes(10)))
                .interval(Duration.ofSeconds(5))
                .build();
    }

    private static String fresh(String value) {
        return new String(value.toCharArray());
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
