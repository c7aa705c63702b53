package org.devicegrant.internal;

import org.devicegrant.clientauth.OAuthClient;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;

import java.util.Objects;

/**
 * Outcome of authenticating the client of one request: {@link Authenticated} or
 * {@link Failed}. Immutable values.
 */
sealed interface ClientAuthenticationResult {

    /**
     * The request came from {@code client}, which proved it with {@code method}
     * ({@link ClientAuthenticationMethod#NONE} for a public client that only identified itself).
     *
     * @param client the registered client, enabled
     * @param method how it authenticated
     */
    record Authenticated(OAuthClient client, ClientAuthenticationMethod method)
            implements ClientAuthenticationResult {

        public Authenticated {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(method, "method");
        }
    }

    /**
     * The request must be refused with {@code error}.
     *
     * @param error                   a Nimbus error with a description safe to send (no secret,
     *                                only RFC 6749 §5.2 characters); its HTTP status is not decided
     *                                here
     * @param usedAuthorizationHeader true when the request carried an {@code Authorization} header,
     *                                which decides the shape of an {@code invalid_client} response
     *                                (RFC 6749 §5.2)
     */
    record Failed(ErrorObject error, boolean usedAuthorizationHeader) implements ClientAuthenticationResult {

        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
