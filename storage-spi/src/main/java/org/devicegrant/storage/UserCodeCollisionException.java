package org.devicegrant.storage;

/**
 * {@link DeviceAuthorizationStore#create} refused a record because an unexpired record
 * of the same tenant already holds its user-code hash. Nothing was written; the caller
 * generates a new user code and tries again (a bounded number of times).
 */
public class UserCodeCollisionException extends Exception {
    private static final long serialVersionUID = 1L;

    public UserCodeCollisionException(String tenant) {
        super("an unexpired authorization of tenant '" + tenant + "' already holds this user code");
    }
}
