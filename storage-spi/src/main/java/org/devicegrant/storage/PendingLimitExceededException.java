package org.devicegrant.storage;

/**
 * {@link DeviceAuthorizationStore#create} refused a record because the store's own cap on
 * pending authorizations of the tenant is reached. Nothing was written. Only stores
 * configured with such a cap throw it; the caller answers with an OAuth error asking the
 * client to try again later, never with {@code server_error}.
 */
public class PendingLimitExceededException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public PendingLimitExceededException(String tenant, long limit) {
        super("tenant '" + tenant + "' has reached its limit of " + limit + " pending device authorizations");
        this.limit = limit;
    }

    /** The cap that was reached. */
    public long limit() {
        return limit;
    }
}
