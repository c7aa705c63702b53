package org.devicegrant.storage;

/**
 * {@link DeviceAuthorizationStore#create} refused a pending record because its tenant already
 * holds as many pending authorizations as the cap the caller passed. Nothing was written. The
 * caller answers with an OAuth error asking the client to try again later, never with
 * {@code server_error}.
 */
public class PendingLimitExceededException extends Exception {
    private static final long serialVersionUID = 1L;

    public PendingLimitExceededException(String tenant, long limit) {
        super("tenant '" + tenant + "' has reached its limit of " + limit + " pending device authorizations");
    }
}
