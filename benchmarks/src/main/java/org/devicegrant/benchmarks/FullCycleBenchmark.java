package org.devicegrant.benchmarks;

import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole grant, {@link Cycle#run}: device authorization request, user-code lookup, approval,
 * token poll answered with a signed access token (scopes {@code profile email}: no ID token, so
 * one signature). A shared virtual clock moves 100 ms per cycle so that expired records are
 * purged as new ones come. Public only because JMH needs it.
 */
public class FullCycleBenchmark {

    static final Duration STEP = Duration.ofMillis(100);

    /** The grant, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Wired {
        @Param({"RS256", "ES256", "EdDSA"})
        public String algorithm;

        @Param({"MEMORY"})
        public String store;

        StoreKind.Opened opened;
        VirtualClock clock;
        DeviceGrant grant;
        final AtomicInteger lanes = new AtomicInteger();

        /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
        @Setup
        public void setup() {
            opened = StoreKind.valueOf(store).open(Wiring.defaultRandom());
            clock = new VirtualClock(Wiring.START);
            grant = Wiring.grant(opened.store(), new InMemoryAttemptLimiter(), clock, Wiring.defaultRandom(),
                    Algorithm.valueOf(algorithm));
        }

        /** JMH trial tear-down: removes what the trial stored and disconnects. */
        @TearDown
        public void tearDown() throws Exception {
            opened.close();
        }
    }

    /** The attempt key of one thread's user. */
    @State(Scope.Thread)
    public static class Lane {
        String attemptKey;

        /** JMH per-thread set-up, run on the benchmark thread that owns this state. */
        @Setup
        public void setup(Wired wired) {
            attemptKey = "198.51.100." + (wired.lanes.getAndIncrement() + 1);
        }
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public DeviceGrantResponse fullCycle(Wired wired, Lane lane) {
        wired.clock.advance(STEP);
        return Cycle.run(wired.grant, wired.clock, lane.attemptKey);
    }
}
