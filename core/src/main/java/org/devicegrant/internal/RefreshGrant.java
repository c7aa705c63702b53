package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.TokenIssuanceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grant_type=refresh_token} at the token endpoint (RFC 6749 §6), for grants kept in a
 * {@link GrantStore}. The client authenticates exactly as for the device-code grant (the caller
 * did that); then, in this order: the token must be known and belong to that client, the grant
 * active and not lapsed, the token current (a retired one is reuse: the grant is revoked, see
 * {@link org.devicegrant.Issuance} for the grace), the scope no wider than granted, and the
 * account still allowed. Tokens are signed <em>before</em> the store's compare-and-set, which
 * retires the presented token and makes the new one current in one step: of any number of
 * concurrent presentations of one token exactly one wins and gets tokens, and a failing signer
 * leaves the presented token usable.
 */
final class RefreshGrant {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshGrant.class);
    /** A store that keeps losing the compare-and-set for a token that stays current (no rotation). */
    private static final int MAX_LOST_RACES = 32;

    private final GrantContext ctx;
    private final RefreshTokens refreshTokens;

    RefreshGrant(GrantContext ctx, RefreshTokens refreshTokens) {
        this.ctx = ctx;
        this.refreshTokens = refreshTokens;
    }

    RefreshResult refresh(String tenant, OAuthClient client, String refreshToken, String scope, Instant now)
            throws RequestRejected {
        Set<String> requested = scope == null ? null : parseScope(scope);
        GrantStore grants = ctx.grants();
        String presentedHash = refreshTokens.hash(refreshToken);
        for (int lostRaces = 0; lostRaces < MAX_LOST_RACES; lostRaces++) {
            Optional<RefreshTokenMatch> found = grants.findByRefreshTokenHash(tenant, presentedHash);
            if (found.isEmpty()) {
                return new RefreshResult.Refused(null, RefreshResult.Reason.UNKNOWN);
            }
            Grant grant = found.get().grant();
            // RFC 6749 §10.4: the authorization server MUST maintain the binding between a refresh
            // token and the client to whom it was issued
            if (!grant.clientId().equals(client.clientId())) {
                return new RefreshResult.Refused(grant.id(), RefreshResult.Reason.WRONG_CLIENT);
            }
            if (grant.status() == GrantStatus.REVOKED) {
                return found.get().current()
                        ? new RefreshResult.Refused(grant.id(), RefreshResult.Reason.REVOKED)
                        : new RefreshResult.Reused(grant.id(), false);
            }
            if (!found.get().current()) {
                return reused(tenant, grant, now);
            }
            if (!grant.isActive(now)) {
                return new RefreshResult.Refused(grant.id(), RefreshResult.Reason.EXPIRED);
            }
            // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted;
            // if omitted, it is treated as equal to the scope originally granted
            if (requested != null && !grant.scopes().containsAll(requested)) {
                return new RefreshResult.ScopeWidened(grant.id());
            }
            Set<String> scopes = requested == null ? grant.scopes() : requested;
            Optional<RefreshResult> refreshed = rotate(tenant, client, grant, scopes, now);
            if (refreshed.isPresent()) {
                return refreshed.get();
            }
            // lost the compare-and-set: look again; a rotation by the winner makes this token retired
        }
        LOG.warn("refresh of a grant lost {} races in a row; answering server_error", MAX_LOST_RACES);
        return Rejected.SERVER_ERROR;
    }

    /** RFC 9700 §4.14.2: a retired refresh token presented again revokes the grant. */
    private RefreshResult reused(String tenant, Grant grant, Instant now) {
        if (now.isBefore(grant.lastUsedAt().plus(refreshTokens.reuseGrace()))) {
            return new RefreshResult.Reused(grant.id(), false);
        }
        boolean revoked = GrantRevocation.revoke(ctx.grants(), tenant, grant.id(), now);
        return new RefreshResult.Reused(grant.id(), revoked);
    }

    /**
     * Checks the account, signs the tokens, then stores the grant's next version. Empty when the
     * compare-and-set lost: nothing was handed out.
     */
    private Optional<RefreshResult> rotate(String tenant, OAuthClient client, Grant grant, Set<String> scopes,
            Instant now) {
        PollResult.Issued issued;
        String newRefreshToken = refreshTokens.rotates(client) ? refreshTokens.mint() : null;
        try {
            if (!ctx.accountCheck().mayReceiveTokens(tenant, grant.subject(), client.clientId())) {
                return Optional.of(new RefreshResult.AccountRefused(grant.id()));
            }
            // OpenID Connect Core §12.2: the ID token of a refresh keeps the original auth_time and
            // carries no nonce; the access token names the grant as the first one did
            IssuedTokens tokens = ctx.tokenIssuer().issue(new TokenIssuanceRequest(tenant, client, grant.subject(),
                    scopes, RefreshTokens.claims(grant.claims(), "grant " + grant.id()), grant.authTime(), grant.id(),
                    now));
            issued = new PollResult.Issued(grant.id(), RefreshTokens.withRefreshToken(tokens, newRefreshToken));
        } catch (RuntimeException e) {
            LOG.warn("token issuance failed for a refresh of grant {}; the refresh token stays usable: {}",
                    grant.id(), e.toString());
            return Optional.of(new RefreshResult.IssuanceFailed(grant.id()));
        }
        Instant expiresAt = refreshTokens.expiresAt(tenant, client, grant.createdAt(), now);
        if (!now.isBefore(expiresAt)) {
            // the absolute lifetime in force now (a tenant or client may have shortened it) is over
            return Optional.of(new RefreshResult.Refused(grant.id(), RefreshResult.Reason.EXPIRED));
        }
        Grant.Builder next = grant.toBuilder()
                .lastUsedAt(now)
                .expiresAt(expiresAt)
                .nextVersion();
        if (newRefreshToken != null) {
            next.refreshTokenHash(refreshTokens.hash(newRefreshToken));
        }
        if (!ctx.grants().replace(grant.version(), next.build())) {
            return Optional.empty();
        }
        return Optional.of(new RefreshResult.Refreshed(issued, newRefreshToken != null));
    }

    private static Set<String> parseScope(String scope) throws RequestRejected {
        Set<String> result = new LinkedHashSet<>();
        for (String token : scope.split(" ", -1)) {
            // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), delimited by one space
            if (!Scopes.isScopeToken(token)) {
                throw new RequestRejected(OAuth2Error.INVALID_SCOPE.setDescription("The scope parameter is malformed"));
            }
            result.add(token);
        }
        return result;
    }
}
