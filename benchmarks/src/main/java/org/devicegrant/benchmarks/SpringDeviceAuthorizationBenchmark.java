package org.devicegrant.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The peer's device authorization request provider (codes generated, authorization saved; its
 * HTTP converter and JSON rendering are not included, ours are). Spring's in-memory store keeps
 * only the 100 newest pending authorizations. Failures (exceptions) are counted, not hidden.
 * Public only because JMH needs it.
 */
@State(Scope.Benchmark)
public class SpringDeviceAuthorizationBenchmark {

    @Param({"MEMORY_CAPPED", "JDBC_SHIPPED", "JDBC_INDEXED"})
    public String peerStore;

    private SpringPeer peer;

    /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
    @Setup
    public void setup() {
        peer = new SpringPeer(SpringPeer.Store.valueOf(peerStore), Algorithm.RS256, Wiring.defaultRandom());
    }

    /** JMH trial tear-down: removes what the trial stored and disconnects. */
    @TearDown
    public void tearDown() {
        peer.close();
    }

    /** Operations that threw, per thread; JMH reports them beside the throughput. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Failures {
        public long failures;
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public Object deviceAuthorization(Failures failures) {
        try {
            return peer.authorize();
        } catch (RuntimeException e) {
            failures.failures++;
            return e;
        }
    }
}
