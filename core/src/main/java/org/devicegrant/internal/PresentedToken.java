package org.devicegrant.internal;

import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.token.IssuedAccessToken;

import java.util.Optional;

/**
 * A token a client presented to the revocation or introspection endpoint, as this server knows it:
 * one of its refresh tokens (current or retired) or one of its valid access tokens. Never holds
 * the token itself.
 */
sealed interface PresentedToken permits PresentedToken.Refresh, PresentedToken.Access {

    String REFRESH_TOKEN = "refresh_token";
    String ACCESS_TOKEN = "access_token";

    /** A refresh token's hash was found: the grant it belongs to, and whether it is the current one. */
    record Refresh(RefreshTokenMatch match) implements PresentedToken {
    }

    /**
     * A valid access token of this server's issuer.
     *
     * @param grant the grant it names in its tenant, or empty when it names none or that grant is gone
     */
    record Access(IssuedAccessToken token, Optional<Grant> grant) implements PresentedToken {
    }

    /**
     * Looks {@code token} up as the hinted type first, then as the other (RFC 7009 §2.1: "If the
     * server is unable to locate the token using the given hint, it MUST extend its search across
     * all of its supported token types"; RFC 7662 §2.1 likewise). An unknown hint is ignored.
     *
     * @param hint {@code token_type_hint}, or null
     */
    static Optional<PresentedToken> find(GrantContext ctx, String tenant, String token, String hint) {
        boolean accessFirst = ACCESS_TOKEN.equals(hint);
        Optional<PresentedToken> first = accessFirst ? access(ctx, tenant, token) : refresh(ctx, tenant, token);
        return first.isPresent() ? first : accessFirst ? refresh(ctx, tenant, token) : access(ctx, tenant, token);
    }

    private static Optional<PresentedToken> refresh(GrantContext ctx, String tenant, String token) {
        GrantStore grants = ctx.grants();
        if (grants == null) {
            return Optional.empty();
        }
        return grants.findByRefreshTokenHash(tenant, ctx.hasher().refreshTokenHash(token)).map(Refresh::new);
    }

    private static Optional<PresentedToken> access(GrantContext ctx, String tenant, String token) {
        Optional<IssuedAccessToken> read = ctx.tokenIssuer().inspect(tenant, token);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        IssuedAccessToken accessToken = read.get();
        Optional<Grant> grant = ctx.grants() == null || accessToken.grantId() == null ? Optional.empty()
                : ctx.grants().findById(tenant, accessToken.grantId());
        return Optional.of(new Access(accessToken, grant));
    }
}
