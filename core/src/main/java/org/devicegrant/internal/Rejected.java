package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

import java.util.Objects;

/**
 * A request refused with an RFC 6749 §5.2 error before or instead of any protocol step: malformed,
 * failed client authentication, an unsupported grant, or a fault of the server.
 *
 * @param error                   the error, with a description safe to send
 * @param usedAuthorizationHeader the client sent an {@code Authorization} header; this decides the
 *                                shape of {@code invalid_client} ({@link ResponseRenderer#status})
 */
record Rejected(ErrorObject error, boolean usedAuthorizationHeader)
        implements PollResult, DeviceAuthorizationResult, RefreshResult, Failure {

    /** {@code server_error} with a fixed description: the cause goes to the log, never to the wire. */
    static final Rejected SERVER_ERROR = new Rejected(OAuth2Error.SERVER_ERROR
            .setDescription("The server could not complete the request; try again later").setHTTPStatusCode(500));

    Rejected {
        Objects.requireNonNull(error, "error");
    }

    Rejected(ErrorObject error) {
        this(error, false);
    }

    /** The refusal for a client that failed to authenticate. */
    static Rejected of(ClientAuthenticationResult.Failed failed) {
        return new Rejected(failed.error(), failed.usedAuthorizationHeader());
    }
}
