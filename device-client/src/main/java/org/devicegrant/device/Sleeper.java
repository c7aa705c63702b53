package org.devicegrant.device;

import java.time.Duration;

/**
 * Waits between polls. The default of {@link DeviceFlowClient} blocks the polling thread and
 * also wakes up when its {@link CancellationToken} is cancelled; tests supply a sleeper that
 * advances a fake clock instead of waiting.
 *
 * <p>Implementations are called only from the thread that runs
 * {@link DeviceFlowClient#await(DeviceCodes, PollListener, CancellationToken)}.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Blocks for {@code duration}, or less if the thread is interrupted.
     *
     * @param duration how long to wait, positive
     * @throws InterruptedException if the waiting thread is interrupted; the client propagates it
     */
    void sleep(Duration duration) throws InterruptedException;
}
