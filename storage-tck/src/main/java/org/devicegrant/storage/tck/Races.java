package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The start gate the contracts' race tests share. Stateless. */
final class Races {

    private static final long TIMEOUT_SECONDS = 60;

    /** One racer's step on its input: true if it won; may throw, which fails the test. */
    @FunctionalInterface
    interface Step<T> {
        boolean run(T input) throws Exception;
    }

    private Races() {
    }

    /**
     * Runs {@code step} once per input, each on its own pool thread, all released at once by a
     * start gate; returns the results in input order. Every wait is bounded.
     */
    static <T> List<Boolean> run(ExecutorService pool, List<T> inputs, Step<T> step) throws Exception {
        CountDownLatch ready = new CountDownLatch(inputs.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (T input : inputs) {
            results.add(pool.submit(() -> {
                ready.countDown();
                if (!start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("start gate never opened");
                }
                return step.run(input);
            }));
        }
        assertThat(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("all racers ready").isTrue();
        start.countDown();
        List<Boolean> outcomes = new ArrayList<>();
        for (Future<Boolean> result : results) {
            outcomes.add(result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
