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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Token polls answered {@code authorization_pending} with {@code pending} authorizations stored
 * (prefilled directly, see {@link Prefill}). Every stored authorization is polled in turn: each
 * thread owns every T-th code and its own virtual clock, which moves by the interval divided by
 * its number of codes per poll, so each poll comes exactly one interval after the previous poll
 * of the same code and is never answered {@code slow_down}. Each poll is one read and one
 * compare-and-set (the last poll time is stored). Public only because JMH needs it.
 */
public class PollBenchmark {

    /** The store and its prefilled authorizations, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Stored {
        @Param({"1000", "100000", "1000000"})
        public int pending;

        @Param({"MEMORY"})
        public String store;

        StoreKind.Opened opened;
        Prefill.Codes codes;
        AttemptLimiter limiter;
        final AtomicInteger lanes = new AtomicInteger();
        int threads;

        /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
        @Setup
        public void setup(BenchmarkParams params) {
            init(params.getThreads());
        }

        void init(int threadCount) {
            threads = threadCount;
            opened = StoreKind.valueOf(store).open(Wiring.defaultRandom());
            codes = Prefill.pending(opened.store(), Wiring.TENANT, pending, Wiring.defaultRandom());
            opened.afterFill().run();
            limiter = new InMemoryAttemptLimiter();
        }

        /** JMH trial tear-down: removes what the trial stored and disconnects. */
        @TearDown
        public void tearDown() throws Exception {
            opened.close();
        }
    }

    /** One thread's codes, clock and grant. */
    @State(Scope.Thread)
    public static class Lane {
        VirtualClock clock;
        DeviceGrant grant;
        String[] deviceCodes;
        int next;
        long step;

        /** JMH per-thread set-up, run on the benchmark thread that owns this state. */
        @Setup
        public void setup(Stored stored) {
            int lane = stored.lanes.getAndIncrement();
            int count = 0;
            for (int i = lane; i < stored.codes.size(); i += stored.threads) {
                count++;
            }
            deviceCodes = new String[count];
            for (int i = lane, k = 0; i < stored.codes.size(); i += stored.threads, k++) {
                deviceCodes[k] = stored.codes.deviceCodes()[i];
            }
            clock = new VirtualClock(Wiring.START);
            grant = Wiring.grant(stored.opened.store(), stored.limiter, clock, Wiring.defaultRandom(), Algorithm.ES256);
            // each code comes round again after `count` polls: by then exactly one interval has passed
            step = (Prefill.INTERVAL.toNanos() + count - 1) / count;
        }

        DeviceGrantResponse pollNext() {
            clock.advance(step);
            String deviceCode = deviceCodes[next];
            next = next + 1 == deviceCodes.length ? 0 : next + 1;
            return grant.token(Wiring.pollRequest(deviceCode));
        }
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public DeviceGrantResponse pollPending(Lane lane) {
        return lane.pollNext();
    }
}
