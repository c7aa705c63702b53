package org.devicegrant.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link TokenIssuer} reads back from an access token it issued and that is still valid:
 * what introspection tells a resource server (RFC 7662 §2.2). Immutable; never holds the token.
 *
 * @param issuer    the {@code iss}
 * @param subject   the {@code sub}: the user who approved
 * @param clientId  the client the token was issued to
 * @param scope     the scopes it carries; may be empty
 * @param issuedAt  the {@code iat}
 * @param expiresAt the {@code exp}
 * @param grantId   the grant it was issued under ({@link JwtTokenIssuer#GRANT_ID_CLAIM}), or null when
 *                  it names none
 * @param tokenType {@code Bearer}, or {@code DPoP} for a sender-constrained token
 */
public record IssuedAccessToken(String issuer, String subject, String clientId, Set<String> scope,
        Instant issuedAt, Instant expiresAt, String grantId, String tokenType) {

    public IssuedAccessToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scope = Set.copyOf(Objects.requireNonNull(scope, "scope"));
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(tokenType, "tokenType");
    }
}
