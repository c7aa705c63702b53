package org.devicegrant.device;

import java.time.Duration;

/**
 * Hears about every poll of the token endpoint that did not end the flow, e.g. to show a spinner
 * or "still waiting" on the device. Called on the polling thread, after the answer arrived and
 * before the next wait; a {@link RuntimeException} thrown here ends
 * {@link DeviceFlowClient#await(DeviceCodes, PollListener, CancellationToken)} with that
 * exception. Never given a code or a token.
 */
@FunctionalInterface
public interface PollListener {

    /** The outcome of a poll answered with {@code authorization_pending} (RFC 8628 §3.5). */
    String AUTHORIZATION_PENDING = "authorization_pending";
    /** The outcome of a poll answered with {@code slow_down} (RFC 8628 §3.5). */
    String SLOW_DOWN = "slow_down";
    /**
     * The outcome of a poll that got no usable answer: connection failure or timeout, or an
     * HTTP 429 or 5xx without an OAuth error body (RFC 8628 §3.5, back off).
     */
    String TIMEOUT = "timeout";

    /**
     * One poll did not end the flow.
     *
     * @param attempt  the number of this poll, from 1
     * @param outcome  {@link #AUTHORIZATION_PENDING}, {@link #SLOW_DOWN} or {@link #TIMEOUT}
     * @param nextWait how long the client waits before the next poll
     */
    void onPoll(int attempt, String outcome, Duration nextWait);

    /** A listener that does nothing. */
    static PollListener none() {
        return (attempt, outcome, nextWait) -> { };
    }
}
