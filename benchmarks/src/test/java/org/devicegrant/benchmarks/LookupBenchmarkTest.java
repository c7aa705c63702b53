package org.devicegrant.benchmarks;

import org.devicegrant.LookupResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LookupBenchmarkTest {

    private final LookupBenchmark.Stored stored = new LookupBenchmark.Stored();

    @AfterEach
    void close() throws Exception {
        stored.tearDown();
    }

    @Test
    void lookupWhenRepeatedFarBeyondTheAttemptBudgetsThenAlwaysPending() {
        // every lookup finds its code, so the real limiter refunds every charge and never refuses
        stored.pending = 40;
        stored.store = "MEMORY";
        stored.init(1);
        LookupBenchmark.Lane lane = new LookupBenchmark.Lane();
        lane.setup(stored);
        LookupBenchmark benchmark = new LookupBenchmark();

        for (int i = 0; i < 400; i++) {
            LookupResult result = benchmark.lookup(lane);
            assertThat(result).as("lookup %d", i).isInstanceOf(LookupResult.Pending.class);
            assertThat(((LookupResult.Pending) result).clientName()).isEqualTo("Living-room TV");
        }
    }
}
