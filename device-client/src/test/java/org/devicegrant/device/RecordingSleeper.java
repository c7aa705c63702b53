package org.devicegrant.device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A sleeper that records every wait and advances a {@link FakeClock} by it (plus an optional
 * overshoot, as when a device is suspended), running a hook before a chosen wait.
 */
final class RecordingSleeper implements Sleeper {

    interface Hook {
        void run() throws InterruptedException;
    }

    private final FakeClock clock;
    private final List<Duration> sleeps = new ArrayList<>();
    private Duration overshoot = Duration.ZERO;
    private int hookAt = -1;
    private Hook hook;

    RecordingSleeper(FakeClock clock) {
        this.clock = clock;
    }

    /** Every wait advances the clock by this much more than asked. */
    RecordingSleeper overshoot(Duration extra) {
        this.overshoot = extra;
        return this;
    }

    /** Runs {@code hook} during wait number {@code sleepNumber} (from 1), after the clock moved. */
    RecordingSleeper during(int sleepNumber, Hook hook) {
        this.hookAt = sleepNumber;
        this.hook = hook;
        return this;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        sleeps.add(duration);
        clock.advance(duration.plus(overshoot));
        if (sleeps.size() == hookAt) {
            hook.run();
        }
    }

    /** The waits so far, in whole seconds. */
    List<Long> seconds() {
        return sleeps.stream().map(Duration::getSeconds).toList();
    }
}
