package org.devicegrant;

/**
 * The host's hook that revokes what else one device authorization produced (its sessions, tokens
 * the host minted itself), called when the user unlinks the device. Thread-safe. It runs after the
 * grant was revoked; an exception is passed on to the caller of {@link LinkedDevices#unlink} with
 * the grant still revoked.
 */
@FunctionalInterface
public interface DeviceRevocation {

    void revoke(String tenant, String subject, String authorizationId);
}
