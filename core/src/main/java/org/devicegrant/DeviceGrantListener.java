package org.devicegrant;

/**
 * Told of every {@link DeviceGrantEvent}. Called synchronously on the request's thread, so
 * implementations are thread-safe and quick; an exception thrown here is logged and ignored,
 * never changing the protocol outcome.
 */
@FunctionalInterface
public interface DeviceGrantListener {

    void onEvent(DeviceGrantEvent event);

    /** A listener that logs each event through slf4j: state changes at DEBUG, failures at WARN. */
    static DeviceGrantListener slf4j() {
        return Slf4jListener.INSTANCE;
    }
}
