package org.devicegrant;

/**
 * Told of every {@link DeviceGrantEvent}. Called synchronously on the request's thread, so
 * implementations are thread-safe and quick; an exception thrown here is logged and ignored,
 * never changing the protocol outcome.
 */
@FunctionalInterface
public interface DeviceGrantListener {

    void onEvent(DeviceGrantEvent event);

    /**
     * A new listener that logs through slf4j (logger {@code org.devicegrant.events}): each state
     * change at DEBUG; security events ({@code LOOKUP_REFUSED}, {@code WRONG_CLIENT},
     * {@code REPLAY}, {@code ISSUANCE_FAILED}, {@code ACCOUNT_REFUSED}) at WARN, at most one line
     * per kind per minute of the events' time: the first, then the first after the minute, which
     * counts those of its kind not logged in between (a count is written with the next line of its
     * kind, so the last minute's count waits for one). The listener keeps that count; the grant's
     * other listeners are told of every event. To keep these logs beside a listener of your own,
     * call this listener from it.
     */
    static DeviceGrantListener slf4j() {
        return new Slf4jListener();
    }
}
