package org.devicegrant.benchmarks;

import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Bytes per pending authorization in the in-memory store: heap used after GC with the store
 * filled, minus heap used after GC before, divided by the number of records ({@link Prefill}
 * records, raw codes not kept). Run by {@link Report} in a JVM of its own with enough heap;
 * prints one line, {@code bytesPerRecord=<n> records=<n>}.
 */
final class MemoryFootprint {

    static final int DEFAULT_RECORDS = 1_000_000;

    private MemoryFootprint() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_RECORDS;
        System.out.printf(Locale.ROOT, "bytesPerRecord=%.0f records=%d%n", bytesPerRecord(records), records);
    }

    static double bytesPerRecord(int records) {
        long before = usedHeapAfterGc();
        InMemoryDeviceAuthorizationStore store = InMemoryDeviceAuthorizationStore.create();
        Prefill.pending(store, Wiring.TENANT, records, Wiring.defaultRandom(), false);
        long after = usedHeapAfterGc();
        long stored = store.countPending(Wiring.TENANT, Wiring.START);
        if (stored != records) {
            throw new IllegalStateException("the store holds " + stored + " pending records, not " + records);
        }
        return (after - before) / (double) records;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
