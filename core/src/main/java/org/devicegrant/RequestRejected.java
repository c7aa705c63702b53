package org.devicegrant;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * Ends the handling of a malformed request early with the OAuth error to answer. Internal
 * control flow only: it never leaves the core, and carries no stack trace.
 */
final class RequestRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ErrorObject error;

    RequestRejected(ErrorObject error) {
        super(error.getCode(), null, false, false);
        this.error = error;
    }

    ErrorObject error() {
        return error;
    }
}
