package org.devicegrant.storage;

import java.time.Instant;
import java.util.List;

/**
 * Where the devices each user linked are kept. All methods are thread-safe; every lookup is scoped
 * by tenant and subject, so a user only ever sees and unlinks their own devices. An infrastructure
 * fault is a {@link StoreUnavailableException}.
 */
public interface LinkedDeviceStore {

    /** Records a newly linked device; a second call for the same authorization id changes nothing. */
    void link(LinkedDevice device);

    /**
     * Notes that the device of {@code authorizationId} was used at {@code when}, if it is still
     * linked; {@code lastUsed} only ever moves forward.
     */
    void recordUse(String tenant, String authorizationId, Instant when);

    /** The devices {@code subject} linked, most recently used first. */
    List<LinkedDevice> list(String tenant, String subject);

    /**
     * Removes the device of {@code authorizationId} if {@code subject} linked it.
     *
     * @return true if it was removed; false if it was not this subject's, or already gone
     */
    boolean unlink(String tenant, String subject, String authorizationId);
}
