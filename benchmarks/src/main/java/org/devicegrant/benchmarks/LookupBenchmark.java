package org.devicegrant.benchmarks;

import org.devicegrant.DeviceGrant;
import org.devicegrant.LookupResult;
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
 * The consent screen's user-code lookup, {@code verification().lookup}, with {@code pending}
 * authorizations stored, every user code looked up in turn (in display form, as a user types
 * it): normalised, checked with the attempt limiter, HMAC'd, found, the client's name added.
 * The limiter is the real {@link InMemoryAttemptLimiter}, one attempt key per thread: every
 * lookup finds its code, so each charge is refunded and the limiter never refuses; its cost is
 * part of the figure. Public only because JMH needs it.
 */
public class LookupBenchmark {

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

    /** One thread's user codes, attempt key and grant; its clock stands still. */
    @State(Scope.Thread)
    public static class Lane {
        DeviceGrant grant;
        String[] userCodes;
        String attemptKey;
        int next;

        /** JMH per-thread set-up, run on the benchmark thread that owns this state. */
        @Setup
        public void setup(Stored stored) {
            int lane = stored.lanes.getAndIncrement();
            int count = (stored.codes.size() - lane + stored.threads - 1) / stored.threads;
            userCodes = new String[count];
            for (int i = lane, k = 0; i < stored.codes.size(); i += stored.threads, k++) {
                userCodes[k] = stored.codes.userCodes()[i];
            }
            attemptKey = "203.0.113." + (lane + 1);
            grant = Wiring.grant(stored.opened.store(), stored.limiter, new VirtualClock(Wiring.START),
                    Wiring.defaultRandom(), Algorithm.ES256);
        }

        LookupResult lookupNext() {
            String userCode = userCodes[next];
            next = next + 1 == userCodes.length ? 0 : next + 1;
            return grant.verification().lookup(Wiring.TENANT, userCode, attemptKey);
        }
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public LookupResult lookup(Lane lane) {
        return lane.lookupNext();
    }
}
