package org.devicegrant.examples;

import org.devicegrant.device.Sleeper;
import org.devicegrant.storage.tck.MutableClock;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Sleeper} for a device polling a demo server that shares its {@link MutableClock}:
 * every wait moves the clock forward instead of the thread. The first wait (before poll 1)
 * passes; the second (after poll 1 was answered) holds the device until {@link #release()}, so
 * a test can look at what the device showed and decide on the verification page while the
 * device is known to have polled at least once. No wait blocks longer than {@link #LIMIT}.
 */
final class GatedSleeper implements Sleeper {

    static final Duration LIMIT = Duration.ofSeconds(20);

    private final MutableClock clock;
    private final AtomicInteger sleeps = new AtomicInteger();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    GatedSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        clock.advance(duration);
        if (sleeps.incrementAndGet() >= 2) {
            held.countDown();
            released.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Blocks until the device has been answered once and waits for {@link #release()}. */
    void awaitHeldAfterFirstPoll() throws InterruptedException {
        if (!held.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the device did not poll within " + LIMIT);
        }
    }

    /** Lets the device go on polling; later waits pass at once. */
    void release() {
        released.countDown();
    }

    /** How many waits the device has begun. */
    int sleeps() {
        return sleeps.get();
    }
}
