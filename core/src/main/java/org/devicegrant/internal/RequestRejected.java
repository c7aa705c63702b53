package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * Ends the handling of a request early with the OAuth error to answer. Internal control flow only:
 * it never leaves the core, and carries no stack trace.
 */
public final class RequestRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Rejected rejected;

    RequestRejected(ErrorObject error) {
        this(new Rejected(error));
    }

    RequestRejected(Rejected rejected) {
        super(rejected.error().getCode(), null, false, false);
        this.rejected = rejected;
    }

    /** The result to answer. */
    Rejected rejected() {
        return rejected;
    }
}
