package org.devicegrant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Logs events; never sees a secret because events carry none. State changes are logged at DEBUG,
 * each one. Security events (a refused user-code guess, a wrong-client poll, a replay, a failed
 * issuance, a refused account) are logged at WARN, at most one line per kind per
 * {@link #INTERVAL}: the first, and after the interval the next one, which says how many of its
 * kind were not logged since the previous line. Whoever sends requests decides how many such
 * events there are; the log must not grow with them. Time is the events' own, which the grant's
 * clock gives them. Thread-safe.
 */
final class Slf4jListener implements DeviceGrantListener {

    /** How long a logged security event stands for the others of its kind. */
    static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger("org.devicegrant.events");
    private static final String FORMAT = "device grant {} tenant={} authorization={} client={} {}";

    /** Per kind of security event: the last line logged, and how many of its kind were not logged since. */
    private final Map<DeviceGrantEvent.Type, Window> windows = new EnumMap<>(DeviceGrantEvent.Type.class);

    private record Window(Instant start, long notLogged) {
    }

    @Override
    public void onEvent(DeviceGrantEvent e) {
        switch (e.type()) {
            case LOOKUP_REFUSED, WRONG_CLIENT, REPLAY, ISSUANCE_FAILED, ACCOUNT_REFUSED -> {
                if (LOG.isWarnEnabled()) {
                    warn(e);
                }
            }
            default -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(FORMAT, e.type(), e.tenant(), e.authorizationId(), e.clientId(), e.detail());
                }
            }
        }
    }

    private void warn(DeviceGrantEvent e) {
        Window previous;
        synchronized (windows) {
            previous = windows.get(e.type());
            if (previous != null && !e.at().isBefore(previous.start())
                    && e.at().isBefore(previous.start().plus(INTERVAL))) {
                windows.put(e.type(), new Window(previous.start(), previous.notLogged() + 1));
                return;
            }
            windows.put(e.type(), new Window(e.at(), 0));
        }
        String detail = e.detail();
        if (previous != null && previous.notLogged() > 0) {
            detail += (detail.isEmpty() ? "" : " ") + "(" + previous.notLogged() + " similar events not logged since "
                    + previous.start() + ")";
        }
        LOG.warn(FORMAT, e.type(), e.tenant(), e.authorizationId(), e.clientId(), detail);
    }
}
