package org.devicegrant.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class PollBenchmarkTest {

    private final PollBenchmark.Stored stored = new PollBenchmark.Stored();

    @AfterEach
    void close() throws Exception {
        if (stored.opened != null) {
            stored.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pollPendingWhenEveryCodeComesRoundThreeTimesOnTwoLanesThenAlwaysAuthorizationPending(StoreKind store) {
        // RFC 8628 §3.5: a poll that waits the interval is answered authorization_pending, never slow_down
        Assumptions.assumeTrue(store.unavailableReason().isEmpty(), () -> store.unavailableReason().orElseThrow());
        stored.pending = 51;
        stored.store = store.name();
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
