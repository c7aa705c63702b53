package org.devicegrant.token;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the token endpoint returns on success (RFC 6749 §5.1). Immutable.
 *
 * <p>{@link #toString()} never prints a token: it shows only which tokens are present.
 *
 * @param accessToken  the access token, never null or empty
 * @param tokenType    the token type, e.g. {@code Bearer}
 * @param expiresIn    the access token's lifetime, positive
 * @param refreshToken the refresh token, or null when none is issued; set by the grant, never by a
 *                     {@link TokenIssuer}
 * @param idToken      the OpenID Connect ID token, or null when none is issued
 * @param scope        the scopes the access token carries; may be empty
 * @throws NullPointerException     {@code accessToken}, {@code tokenType}, {@code expiresIn} or
 *                                  {@code scope} is null
 * @throws IllegalArgumentException a token or the token type is empty, or {@code expiresIn} is
 *                                  not positive
 */
public record IssuedTokens(String accessToken, String tokenType, Duration expiresIn, String refreshToken,
        String idToken, Set<String> scope) {

    public IssuedTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        if (accessToken.isEmpty()) {
            throw new IllegalArgumentException("accessToken must not be empty");
        }
        Objects.requireNonNull(tokenType, "tokenType");
        if (tokenType.isEmpty()) {
            throw new IllegalArgumentException("tokenType must not be empty");
        }
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw new IllegalArgumentException("expiresIn must be positive, got " + expiresIn);
        }
        if (refreshToken != null && refreshToken.isEmpty()) {
            throw new IllegalArgumentException("refreshToken must be null or non-empty");
        }
        if (idToken != null && idToken.isEmpty()) {
            throw new IllegalArgumentException("idToken must be null or non-empty");
        }
        scope = Set.copyOf(Objects.requireNonNull(scope, "scope"));
    }

    /** Shows the token type, lifetime, scope and which tokens are present; never a token. */
    @Override
    public String toString() {
        return "IssuedTokens[accessToken=(present), tokenType=" + tokenType + ", expiresIn=" + expiresIn
                + ", refreshToken=" + (refreshToken == null ? "(none)" : "(present)")
                + ", idToken=" + (idToken == null ? "(none)" : "(present)")
                + ", scope=" + scope + "]";
    }
}
