package org.devicegrant;

/**
 * The host's hook that revokes what else one device authorization produced (its sessions; without
 * grants kept, its refresh tokens), called when the user unlinks the device. Thread-safe. With
 * grants kept, it runs after the grant was revoked, and an exception is passed on to the caller of
 * {@link LinkedDevices#unlink} with the grant still revoked; without, an exception keeps the device
 * linked, so that the user can try again.
 */
@FunctionalInterface
public interface DeviceRevocation {

    void revoke(String tenant, String subject, String authorizationId);
}
