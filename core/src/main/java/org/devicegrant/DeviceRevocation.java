package org.devicegrant;

/**
 * The host's hook that revokes what one device authorization produced (its refresh token, its
 * sessions), called when the user unlinks the device. Thread-safe. An exception keeps the device
 * linked, so that the user can try again.
 */
@FunctionalInterface
public interface DeviceRevocation {

    void revoke(String tenant, String subject, String authorizationId);
}
