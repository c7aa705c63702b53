package org.devicegrant.storage;

import java.util.Objects;

/**
 * What a refresh-token hash was found to belong to.
 *
 * @param grant   the grant it was issued under, as it is now
 * @param current true when it is the grant's current refresh token; false when rotation retired it
 *                (presenting it again is reuse)
 */
public record RefreshTokenMatch(Grant grant, boolean current) {

    public RefreshTokenMatch {
        Objects.requireNonNull(grant, "grant");
    }
}
