package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SECURITY-TESTS row 16 (polling too fast across nodes, REQ-RL-6): the last poll time and the
 * interval live in the shared record, so a device that alternates between nodes is held to
 * the interval as if there were one. Time is the cluster's shared {@code MutableClock}.
 */
class PollingIntervalAcrossNodesTest {

    private static final int TRIALS = 1_000;
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    @DisplayName("SECURITY-TESTS row 16: poll node A, then node B 1 s later: slow_down in 1,000 of 1,000 trials; +5 s per slow_down")
    void pollWhenNodeBOneSecondAfterNodeAThenSlowDownAndIntervalGrowsByFiveSeconds(Backend backend) throws Exception {
        try (Cluster cluster = Cluster.start(backend, Backend.NodeSettings.RACE)) {
            int slowDowns = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Cluster.Issued issued = Cluster.authorize(cluster.node(trial));
                assertThat(Cluster.outcome(Cluster.poll(cluster.nodeA, issued))).as("%s trial %d", backend, trial)
                        .isEqualTo("authorization_pending");
                assertThat(cluster.record(issued).interval()).isEqualTo(INTERVAL);

                cluster.clock.advance(Duration.ofSeconds(1));
                // RFC 8628 §3.5: slow_down: "the interval MUST be increased by 5 seconds for this and all
                // subsequent requests"
                assertThat(Cluster.outcome(Cluster.poll(cluster.nodeB, issued))).as("%s trial %d", backend, trial)
                        .isEqualTo("slow_down");
                slowDowns++;
                assertThat(cluster.record(issued).interval()).isEqualTo(INTERVAL.plusSeconds(5));

                cluster.clock.advance(Duration.ofSeconds(1));
                assertThat(Cluster.outcome(Cluster.poll(cluster.nodeA, issued))).as("%s trial %d", backend, trial)
                        .isEqualTo("slow_down");
                assertThat(cluster.record(issued).interval()).isEqualTo(INTERVAL.plusSeconds(10));

                cluster.clock.advance(INTERVAL.plusSeconds(10));
                assertThat(Cluster.outcome(Cluster.poll(cluster.nodeB, issued)))
                        .as("%s trial %d: a poll that waits the grown interval is served", backend, trial)
                        .isEqualTo("authorization_pending");
                assertThat(cluster.record(issued).interval()).isEqualTo(INTERVAL.plusSeconds(10));

                // past this code's polls, and keeps fewer than a client's pending cap alive at once
                cluster.clock.advance(Duration.ofMinutes(1));
            }
            assertThat(slowDowns).isEqualTo(TRIALS);
        }
    }
}
