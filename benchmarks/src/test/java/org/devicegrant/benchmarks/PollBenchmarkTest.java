package org.devicegrant.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PollBenchmarkTest {

    private final PollBenchmark.Stored stored = new PollBenchmark.Stored();

    @AfterEach
    void close() throws Exception {
        stored.tearDown();
    }

    @Test
    void pollPendingWhenEveryCodeComesRoundThreeTimesOnTwoLanesThenAlwaysAuthorizationPending() {
        // RFC 8628 §3.5: a poll that waits the interval is answered authorization_pending, never slow_down
        stored.pending = 51;
        stored.store = "MEMORY";
        stored.init(2);
        PollBenchmark.Lane first = lane();
        PollBenchmark.Lane second = lane();

        assertThat(first.deviceCodes).hasSize(26);
        assertThat(second.deviceCodes).hasSize(25).doesNotContainAnyElementsOf(java.util.List.of(first.deviceCodes));
        PollBenchmark benchmark = new PollBenchmark();
        for (int i = 0; i < 3 * 26; i++) {
            assertThat(Cycle.error(benchmark.pollPending(first))).as("poll %d of lane 1", i).isEqualTo("authorization_pending");
            assertThat(Cycle.error(benchmark.pollPending(second))).as("poll %d of lane 2", i).isEqualTo("authorization_pending");
        }
    }

    private PollBenchmark.Lane lane() {
        PollBenchmark.Lane lane = new PollBenchmark.Lane();
        lane.setup(stored);
        return lane;
    }
}
