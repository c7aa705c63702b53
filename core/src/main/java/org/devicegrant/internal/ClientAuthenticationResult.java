package org.devicegrant.internal;

import org.devicegrant.clientauth.RegisteredClient;
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
    record Authenticated(RegisteredClient client, ClientAuthenticationMethod method)
            implements ClientAuthenticationResult {

        public Authenticated {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(method, "method");
        }
    }

    /**
     * The request must be refused with {@code error}.
     *
     * @param error                  a Nimbus error with a description safe to send (no secret,
     *                               only RFC 6749 §5.2 characters) and its HTTP status set: 401
     *                               for {@code invalid_client}, 400 otherwise
     * @param usedAuthorizationHeader true when the request carried an {@code Authorization}
     *                               header; an {@code invalid_client} response must then be
     *                               401 with a {@code WWW-Authenticate: Basic} header (RFC 6749
     *                               §5.2)
     */
    record Failed(ErrorObject error, boolean usedAuthorizationHeader) implements ClientAuthenticationResult {

        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
