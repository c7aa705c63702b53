package org.devicegrant.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The peer's whole grant, {@link SpringPeer#fullCycle}: request, store lookup of the user code,
 * verification (and consent the first time), token poll answered with an access token signed
 * with RS256 or ES256. Cycles that end without a token, or throw, are counted as failures.
 * Public only because JMH needs it.
 */
@State(Scope.Benchmark)
public class SpringFullCycleBenchmark {

    @Param({"RS256", "ES256"})
    public String algorithm;

    @Param({"MEMORY_CAPPED", "JDBC_SHIPPED", "JDBC_INDEXED"})
    public String peerStore;

    private SpringPeer peer;

    /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
    @Setup
    public void setup() {
        peer = new SpringPeer(SpringPeer.Store.valueOf(peerStore), Algorithm.valueOf(algorithm), Wiring.defaultRandom());
    }

    /** JMH trial tear-down: removes what the trial stored and disconnects. */
    @TearDown
    public void tearDown() {
        peer.close();
    }

    /** Cycles that gave no token, per thread. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Failures {
        public long failures;
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public Object fullCycle(Failures failures) {
        try {
            String token = peer.fullCycle();
            if (token.indexOf('.') < 0) {
                failures.failures++;
            }
            return token;
        } catch (RuntimeException e) {
            failures.failures++;
            return e;
        }
    }
}
