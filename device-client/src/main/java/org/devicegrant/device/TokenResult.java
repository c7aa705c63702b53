package org.devicegrant.device;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a device flow ended (RFC 8628 §3.5). Immutable values; the {@code toString} of
 * {@link Success} never prints a token.
 */
public sealed interface TokenResult {

    /**
     * The user approved and the token endpoint issued tokens (RFC 6749 §5.1).
     *
     * @param accessToken  the access token
     * @param tokenType    its type, e.g. {@code Bearer}
     * @param expiresIn    its lifetime, or {@code null} when the server did not say
     * @param refreshToken the refresh token, or {@code null}
     * @param idToken      the OpenID Connect ID token (a compact JWT), or {@code null}
     * @param scope        the granted scope; empty when the server omitted it, which RFC 6749
     *                     §5.1 allows when it equals the requested scope
     */
    record Success(String accessToken, String tokenType, Duration expiresIn, String refreshToken,
            String idToken, Set<String> scope) implements TokenResult {

        /** @throws NullPointerException if {@code accessToken}, {@code tokenType} or {@code scope} is null */
        public Success {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(tokenType, "tokenType");
            scope = Set.copyOf(Objects.requireNonNull(scope, "scope"));
        }

        /** Type, lifetime, scope and which tokens are present; never a token value. */
        @Override
        public String toString() {
            return "Success[tokenType=" + tokenType + ", expiresIn=" + expiresIn
                    + ", refreshToken=" + (refreshToken == null ? "absent" : "present")
                    + ", idToken=" + (idToken == null ? "absent" : "present") + ", scope=" + scope + "]";
        }
    }

    /**
     * The user denied the request: {@code access_denied} (RFC 8628 §3.5).
     *
     * @param description the server's {@code error_description}, or {@code null}
     */
    record Denied(String description) implements TokenResult {
    }

    /**
     * The codes expired: the server answered {@code expired_token}, or {@code expires_in} ran out
     * by the client's clock. The client does not start over by itself (wait for the user).
     *
     * @param description the server's {@code error_description} or the client's reason, or
     *                    {@code null}
     */
    record Expired(String description) implements TokenResult {
    }

    /**
     * The token endpoint answered another OAuth error and polling stopped (RFC 8628 §3.5).
     *
     * @param error       the OAuth {@code error} code, e.g. {@code invalid_client}
     * @param description the server's {@code error_description}, or {@code null}
     */
    record Failed(String error, String description) implements TokenResult {

        /** @throws NullPointerException if {@code error} is null */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The flow was cancelled through its {@link CancellationToken}. */
    record Cancelled() implements TokenResult {
    }
}
