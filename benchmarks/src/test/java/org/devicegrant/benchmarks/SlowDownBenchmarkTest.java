package org.devicegrant.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlowDownBenchmarkTest {

    private final SlowDownBenchmark.Stored stored = new SlowDownBenchmark.Stored();

    @AfterEach
    void close() throws Exception {
        stored.tearDown();
    }

    @Test
    void pollTooEarlyWhenRepeatedThenAlwaysSlowDown() {
        // RFC 8628 §3.5: slow_down, and the interval stays increased for all later requests
        stored.store = "MEMORY";
        stored.setup();
        SlowDownBenchmark.Lane lane = new SlowDownBenchmark.Lane();
        lane.setup(stored);
        SlowDownBenchmark benchmark = new SlowDownBenchmark();

        for (int i = 0; i < 20; i++) {
            assertThat(Cycle.error(benchmark.pollTooEarly(lane))).as("poll %d", i).isEqualTo("slow_down");
        }
    }
}
