package org.devicegrant.token;

/**
 * Host callback that creates a refresh token and stores it in the host's own refresh-token
 * storage; the library never invents refresh-token storage of its own. The returned string is
 * handed to the device as {@code refresh_token} and never logged.
 *
 * <p>The host owns the refresh token's life. For public clients, the usual device clients,
 * RFC 9700 §4.14 requires refresh tokens to be sender-constrained or rotated with reuse
 * detection; it recommends expiry after inactivity and revocation on security events.
 *
 * <p>Implementations are thread-safe. Failure is any {@link RuntimeException}; the issuer
 * passes it on as a {@link TokenIssuanceException}.
 */
@FunctionalInterface
public interface RefreshTokenMinter {

    /**
     * Creates and stores a refresh token for {@code request}.
     *
     * @param request the consumed authorization, never null
     * @return the refresh token, never null or empty
     */
    String mint(TokenIssuanceRequest request);
}
