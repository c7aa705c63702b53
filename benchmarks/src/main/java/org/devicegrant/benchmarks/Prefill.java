package org.devicegrant.benchmarks;

import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.UserCodeCollisionException;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fills a store directly (not through the endpoint) with pending authorizations that look like
 * the ones the endpoint writes: a random 16-byte id, the SHA-256 of a 32-byte device code, the
 * HMAC of a base-20 user code, the benchmark client, three scopes, two metadata entries and a
 * 5 s interval. The one difference: they expire {@link #LIFETIME} after {@link Wiring#START},
 * so that a benchmark's virtual clock, which runs ahead by the interval every round of polls,
 * never reaches their expiry.
 */
final class Prefill {

    /** How long prefilled records stay pending on the virtual clock. */
    static final Duration LIFETIME = Duration.ofDays(365);
    static final Duration INTERVAL = Duration.ofSeconds(5);

    /** Threads (and so connections) that fill a store. */
    static final int PARALLELISM = 4;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** The raw codes of the prefilled records, index by index; the store holds only their hashes. */
    record Codes(String[] deviceCodes, String[] userCodes) {
        int size() {
            return deviceCodes.length;
        }
    }

    private Prefill() {
    }

    /** Creates {@code count} pending records in {@code tenant}; user-code collisions draw again. */
    static Codes pending(DeviceAuthorizationStore store, String tenant, int count, SecureRandom random) {
        return pending(store, tenant, count, random, true);
    }

    /**
     * As {@link #pending(DeviceAuthorizationStore, String, int, SecureRandom)}; without
     * {@code keepCodes} the raw codes are dropped and the result's arrays are empty, so that only
     * the store holds memory.
     */
    static Codes pending(DeviceAuthorizationStore store, String tenant, int count, SecureRandom random,
            boolean keepCodes) {
        String[] deviceCodes = new String[keepCodes ? count : 0];
        String[] userCodes = new String[keepCodes ? count : 0];
        // a store behind a server takes one round trip per create: fill it over several connections
        int workers = Math.max(1, Math.min(PARALLELISM, count / 1_000));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int from = (int) ((long) count * w / workers);
                int to = (int) ((long) count * (w + 1) / workers);
                parts.add(pool.submit(() -> fill(store, tenant, from, to, random, deviceCodes, userCodes)));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while filling the store", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("filling the store failed", e.getCause());
        } finally {
            pool.shutdown();
        }
        return new Codes(deviceCodes, userCodes);
    }

    private static void fill(DeviceAuthorizationStore store, String tenant, int from, int to, SecureRandom random,
            String[] deviceCodes, String[] userCodes) {
        CodeHasher hasher = Wiring.hasher();
        UserCodeFormat format = UserCodeFormat.BASE20;
        Instant now = Wiring.START;
        for (int i = from; i < to; i++) {
            String deviceCode = randomBase64(random, 32);
            DeviceAuthorization.Builder record = DeviceAuthorization.builder()
                    .id(randomBase64(random, 16))
                    .tenant(tenant)
                    .deviceCodeHash(hasher.deviceCodeHash(deviceCode))
                    .clientId(Wiring.CLIENT_ID)
                    .requestedScopes(Wiring.SCOPES)
                    .deviceMetadata(Map.of("device_name", "Living room TV", "device_model", "DG-" + (i % 97)))
                    .createdAt(now)
                    .expiresAt(now.plus(LIFETIME))
                    .interval(INTERVAL);
            while (true) {
                String userCode = format.generate(random);
                try {
                    store.create(record.userCodeHash(hasher.userCodeHash(userCode)).build(), now, Long.MAX_VALUE);
                    if (deviceCodes.length > 0) {
                        deviceCodes[i] = deviceCode;
                        userCodes[i] = format.display(userCode);
                    }
                    break;
                } catch (UserCodeCollisionException collision) {
                    // another record holds this user code: draw again, as the endpoint does
                } catch (PendingLimitExceededException e) {
                    throw new IllegalStateException("the benchmark store must not cap pending records", e);
                }
            }
        }
    }

    static String randomBase64(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }
}
