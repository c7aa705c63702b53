package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * Ends the handling of a malformed request early with the OAuth error to answer. Internal
 * control flow only: it never leaves the core, and carries no stack trace.
 */
public final class RequestRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ErrorObject error;
    private final boolean usedAuthorizationHeader;

    RequestRejected(ErrorObject error) {
        this(error, false);
    }

    RequestRejected(ErrorObject error, boolean usedAuthorizationHeader) {
        super(error.getCode(), null, false, false);
        this.error = error;
        this.usedAuthorizationHeader = usedAuthorizationHeader;
    }

    ErrorObject error() {
        return error;
    }

    /** True when the client authenticated with the Authorization header (shapes a 401). */
    boolean usedAuthorizationHeader() {
        return usedAuthorizationHeader;
    }

    /** The error response for this rejection. */
    org.devicegrant.http.DeviceGrantResponse response() {
        return Responses.error(error, usedAuthorizationHeader);
    }
}
