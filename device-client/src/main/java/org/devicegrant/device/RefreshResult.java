package org.devicegrant.device;

import java.util.Objects;

/**
 * How a refresh (RFC 6749 §6) ended, when the token endpoint answered. Failures to reach it are
 * a {@link DeviceFlowException}: the stored tokens stay as they were either way.
 */
public sealed interface RefreshResult {

    /**
     * The token endpoint issued a new access token. {@link CachedTokens#refreshToken()} is the
     * new refresh token when the server rotated it, else the one that was presented (RFC 6749 §6:
     * the server "MAY issue a new refresh token"); save these tokens in place of the old ones.
     *
     * @param tokens  the tokens to keep from now on
     * @param rotated whether the server issued a new refresh token; the presented one is then
     *                retired and must not be sent again
     */
    record Refreshed(CachedTokens tokens, boolean rotated) implements RefreshResult {

        /** @throws NullPointerException if {@code tokens} is null */
        public Refreshed {
            Objects.requireNonNull(tokens, "tokens");
        }
    }

    /**
     * The refresh token is no longer good ({@code invalid_grant}, RFC 6749 §5.2: invalid,
     * expired, revoked, or issued to another client): the user must sign in again with a new
     * device flow.
     *
     * @param description the server's {@code error_description}, or {@code null}
     */
    record ReauthorizationNeeded(String description) implements RefreshResult {
    }

    /**
     * The token endpoint answered another OAuth error (RFC 6749 §5.2), e.g.
     * {@code invalid_client} or {@code invalid_scope}; the refresh token may still be good.
     *
     * @param error       the OAuth {@code error} code
     * @param description the server's {@code error_description}, or {@code null}
     */
    record Failed(String error, String description) implements RefreshResult {

        /** @throws NullPointerException if {@code error} is null */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
