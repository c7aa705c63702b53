package org.devicegrant.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The peer's device-code provider answering {@code authorization_pending}, with {@code pending}
 * authorizations issued through its own request provider; every code polled in turn (Spring
 * keeps no poll time, so there is no interval to obey). Also the store's user-code lookup, the
 * read behind its verification page. Answers other than {@code authorization_pending}, and
 * exceptions, are counted as failures. Public only because JMH needs it.
 */
public class SpringPollBenchmark {

    /** The peer and its pending authorizations, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Stored {
        @Param({"1000", "10000", "100000"})
        public int pending;

        @Param({"MEMORY_UNCAPPED", "JDBC_SHIPPED", "JDBC_INDEXED"})
        public String peerStore;

        SpringStored stored;

        /** JMH trial set-up; not thread-safe, JMH calls it once per trial before any benchmark thread runs. */
        @Setup
        public void setup(BenchmarkParams params) {
            stored = new SpringStored(SpringPeer.Store.valueOf(peerStore), pending, params.getThreads());
        }

        /** JMH trial tear-down: removes what the trial stored and disconnects. */
        @TearDown
        public void tearDown() {
            stored.peer.close();
        }
    }

    /** One thread's codes, and its failure count. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Lane {
        public long failures;
        SpringPeer.Codes[] codes;
        int next;

        /** JMH per-thread set-up, run on the benchmark thread that owns this state. */
        @Setup
        public void setup(Stored stored) {
            codes = stored.stored.nextLane();
        }

        SpringPeer.Codes next() {
            SpringPeer.Codes c = codes[next];
            next = next + 1 == codes.length ? 0 : next + 1;
            return c;
        }
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public Object pollPending(Stored stored, Lane lane) {
        try {
            String answer = stored.stored.peer.poll(lane.next().deviceCode());
            if (!"authorization_pending".equals(answer)) {
                lane.failures++;
            }
            return answer;
        } catch (RuntimeException e) {
            lane.failures++;
            return e;
        }
    }

    /** One measured operation; thread-safe as the states it uses (see the class comment). */
    @Benchmark
    public Object lookupInStore(Stored stored, Lane lane) {
        try {
            boolean found = stored.stored.peer.lookup(lane.next().userCode());
            if (!found) {
                lane.failures++;
            }
            return found;
        } catch (RuntimeException e) {
            lane.failures++;
            return e;
        }
    }
}
