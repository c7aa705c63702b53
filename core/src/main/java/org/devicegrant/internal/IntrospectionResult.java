package org.devicegrant.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** What one request to the introspection endpoint decided (RFC 7662 §2.2). Never holds the token. */
sealed interface IntrospectionResult extends EndpointResult
        permits IntrospectionResult.Active, IntrospectionResult.Inactive {

    /**
     * The token is active: what the response tells about it.
     *
     * @param grantId   the grant the token belongs to; null for an access token naming none (when
     *                  no grants are kept)
     * @param tokenType {@code Bearer} or {@code DPoP} for an access token; null for a refresh token
     *                  (RFC 7662 §2.2: {@code token_type} is an access token type)
     */
    record Active(String issuer, String subject, String clientId, Set<String> scope, Instant issuedAt,
            Instant expiresAt, String grantId, String tokenType) implements IntrospectionResult {
        public Active {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            scope = Set.copyOf(scope);
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * RFC 7662 §2.2: unknown, expired, revoked, lapsed or not this server's: {@code active: false}
     * and nothing else.
     */
    record Inactive() implements IntrospectionResult {
    }
}
