package org.devicegrant.device;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets another thread stop
 * {@link DeviceFlowClient#await(DeviceCodes, PollListener, CancellationToken)}: after
 * {@link #cancel()} the polling loop returns {@link TokenResult.Cancelled} at its next wake-up
 * and sends no further request. With the client's default {@link Sleeper} that wake-up is
 * immediate; a custom sleeper wakes up when its wait ends.
 *
 * <p>Thread-safe. Cancellation is permanent; use a new token for a new flow.
 */
public final class CancellationToken {

    private final CountDownLatch cancelled = new CountDownLatch(1);

    /** A token that is not cancelled. */
    public CancellationToken() {
    }

    /** Requests cancellation. Idempotent; never blocks. */
    public void cancel() {
        cancelled.countDown();
    }

    /** Whether {@link #cancel()} has been called. */
    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /** Waits up to {@code duration} or until cancelled, whichever comes first. */
    void await(Duration duration) throws InterruptedException {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        cancelled.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return isCancelled() ? "CancellationToken[cancelled]" : "CancellationToken[active]";
    }
}
