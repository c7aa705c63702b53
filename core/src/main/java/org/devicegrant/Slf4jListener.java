package org.devicegrant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs events; never sees a secret because events carry none. */
final class Slf4jListener implements DeviceGrantListener {

    static final Slf4jListener INSTANCE = new Slf4jListener();
    private static final Logger LOG = LoggerFactory.getLogger("org.devicegrant.events");
    private static final String FORMAT = "device grant {} tenant={} authorization={} client={} {}";

    private Slf4jListener() {
    }

    @Override
    public void onEvent(DeviceGrantEvent e) {
        switch (e.type()) {
            case LOOKUP_REFUSED, WRONG_CLIENT, REPLAY, ISSUANCE_FAILED, ACCOUNT_REFUSED -> {
                if (LOG.isWarnEnabled()) {
                    LOG.warn(FORMAT, e.type(), e.tenant(), e.authorizationId(), e.clientId(), e.detail());
                }
            }
            default -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(FORMAT, e.type(), e.tenant(), e.authorizationId(), e.clientId(), e.detail());
                }
            }
        }
    }
}
