package org.devicegrant.token;

import org.devicegrant.clientauth.OAuthClient;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the grant hands the {@link TokenIssuer} once an approved device authorization has been
 * consumed. Immutable: the collections are copied; the values inside {@code claims} are kept as
 * given and must be JSON-compatible (strings, numbers, booleans, lists, maps).
 *
 * @param tenant          the tenant the authorization belongs to
 * @param client          the client that polled and won the authorization
 * @param subject         the user who approved, as the host identifies them ({@code sub})
 * @param grantedScopes   the scopes the user approved; may be empty
 * @param claims          extra claims the host supplied at approval; may be empty, never null,
 *                        no null keys or values
 * @param authTime        when the user authenticated, if the host knows; may be null
 * @param authorizationId the id of the consumed device authorization, for audit and for hosts
 *                        that bind tokens to it; on a refresh, the grant's id (the
 *                        same id)
 * @param issuedAt        the moment the grant consumed the authorization
 * @throws NullPointerException     a required component, a scope, or a claim key or value is null
 * @throws IllegalArgumentException {@code tenant}, {@code subject} or {@code authorizationId} is empty
 */
public record TokenIssuanceRequest(String tenant, OAuthClient client, String subject, Set<String> grantedScopes,
        Map<String, Object> claims, Instant authTime, String authorizationId, Instant issuedAt) {

    public TokenIssuanceRequest {
        requireNonEmpty(tenant, "tenant");
        Objects.requireNonNull(client, "client");
        requireNonEmpty(subject, "subject");
        grantedScopes = Set.copyOf(Objects.requireNonNull(grantedScopes, "grantedScopes"));
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
        requireNonEmpty(authorizationId, "authorizationId");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    private static void requireNonEmpty(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
