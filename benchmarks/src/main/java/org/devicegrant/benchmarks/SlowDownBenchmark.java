package org.devicegrant.benchmarks;

import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Token polls that come too early and are answered {@code slow_down}: each thread polls its own
 * code again and again while its clock stands still. Each answer is one read and one
 * compare-and-set (RFC 8628 §3.5: the interval grows by 5 s and stays grown). Public only
 * because JMH needs it.
 */
public class SlowDownBenchmark {

    /** The store, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Stored {
        @Param({"MEMORY"})
        public String store;

        StoreKind.Opened opened;
        AttemptLimiter limiter;

        /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
        @Setup
        public void setup() {
            opened = StoreKind.valueOf(store).open(Wiring.defaultRandom());
            limiter = new InMemoryAttemptLimiter();
        }

        /** JMH trial tear-down: removes what the trial stored and disconnects. */
        @TearDown
        public void tearDown() throws Exception {
            opened.close();
        }
    }

    /** One thread's code, already polled once, and its grant with a clock that stands still. */
    @State(Scope.Thread)
    public static class Lane {
        DeviceGrant grant;
        String deviceCode;

        /** JMH per-thread set-up, run on the benchmark thread that owns this state. */
        @Setup
        public void setup(Stored stored) {
            deviceCode = Prefill.pending(stored.opened.store(), Wiring.TENANT, 1, Wiring.defaultRandom()).deviceCodes()[0];
            grant = Wiring.grant(stored.opened.store(), stored.limiter, new VirtualClock(Wiring.START),
                    Wiring.defaultRandom(), Algorithm.ES256);
            String first = Cycle.error(grant.token(Wiring.pollRequest(deviceCode)));
            if (!"authorization_pending".equals(first)) {
                throw new IllegalStateException("the first poll gave " + first);
            }
        }

        DeviceGrantResponse poll() {
            return grant.token(Wiring.pollRequest(deviceCode));
        }
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public DeviceGrantResponse pollTooEarly(Lane lane) {
        return lane.poll();
    }
}
