package org.devicegrant.token;

import java.util.Optional;

/**
 * Turns an approved device authorization into tokens. The token endpoint calls it once the poll
 * that redeems the authorization has moved it to {@code CONSUMED}, so two concurrent polls never
 * both reach it.
 *
 * <p>Implementations are thread-safe. Failure is any {@link RuntimeException}, normally a
 * {@link TokenIssuanceException}; the device is then answered {@code server_error}, and the
 * authorization is put back to {@code APPROVED} (by compare-and-set) so that the device's next
 * poll can redeem it and this issuer is called again for it. Only when that restore fails too does
 * the authorization stay consumed, and the device must start over. An implementation with side
 * effects makes them last, or undoes them when it fails. The grant also calls it for each refresh
 * (RFC 6749 §6), with the grant's subject, scopes (possibly narrowed), claims and original
 * {@code auth_time}, and the grant's id as {@code authorizationId}. Refresh tokens are the grant's:
 * a refresh token in the returned {@link IssuedTokens} is dropped.
 * Implementations never put a token in an exception message or a log line.
 */
@FunctionalInterface
public interface TokenIssuer {

    /**
     * Issues tokens for {@code request}.
     *
     * @param request the authorization being redeemed, never null
     * @return the tokens, never null
     * @throws TokenIssuanceException the tokens could not be issued
     */
    IssuedTokens issue(TokenIssuanceRequest request);

    /**
     * Reads back an access token this issuer issued, for introspection (RFC 7662) and revocation
     * (RFC 7009): what it says, if its signature, type, issuer and lifetime still check out now.
     * Never throws for a token it cannot read.
     *
     * @param tenant      the tenant the token was presented in (an issuer per tenant picks its own)
     * @param accessToken any string a client presented
     * @return the token's content, or empty when it is not a valid, unexpired access token of this
     *         issuer; by default always empty (an issuer that cannot read its tokens back: they are
     *         then unknown to introspection and revocation)
     */
    default Optional<IssuedAccessToken> inspect(String tenant, String accessToken) {
        return Optional.empty();
    }
}
