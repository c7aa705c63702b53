package org.devicegrant.internal;

/**
 * What one request to the revocation endpoint decided (RFC 7009 §2). Both answers are a 200 to the
 * client: RFC 7009 §2.2 answers an invalid token as a revoked one, so that the answer never tells
 * whether a token exists. The grant id is for the listener's events; it is not a secret.
 */
sealed interface RevocationResult extends EndpointResult permits RevocationResult.Revoked, RevocationResult.NotRevoked {

    /**
     * This request revoked the grant: its refresh tokens and access tokens no longer work.
     *
     * @param grantId   the grant, safe to log
     * @param tokenKind {@code refresh_token} or {@code access_token}: what the client presented
     */
    record Revoked(String grantId, String tokenKind) implements RevocationResult {
    }

    /** Nothing changed: the token is unknown, its grant is already revoked, or it is another client's. */
    record NotRevoked() implements RevocationResult {
    }
}
