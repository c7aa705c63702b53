package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.Grant;

import java.time.Instant;
import java.util.Optional;

/**
 * The token revocation endpoint (RFC 7009). A refresh token, current or retired, or a valid access
 * token of this server's issuer revokes the grant it belongs to, so that every token of that grant
 * stops working: the refresh tokens at the token endpoint, the access tokens at introspection.
 * Decides into a {@link RevocationResult}; {@link ResponseRenderer} writes it and
 * {@link GrantEvents} tells the listener.
 */
public final class RevocationEndpoint {

    /**
     * RFC 7009 §2.2.1: {@code unsupported_token_type}, "the client tried to revoke an access token on
     * a server not supporting this feature": a grant that keeps no grants can revoke nothing. Nimbus
     * declares no constant for it.
     */
    static final ErrorObject UNSUPPORTED_TOKEN_TYPE = new ErrorObject("unsupported_token_type",
            "This server keeps no grants, so it cannot revoke tokens", 400);

    private final GrantContext ctx;
    private final GrantEvents events;

    public RevocationEndpoint(GrantContext ctx) {
        this.ctx = ctx;
        this.events = new GrantEvents(ctx.listener());
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("revocation request", request, (tenant, params, now) -> {
            // RFC 7009 §2.1: token REQUIRED; token_type_hint OPTIONAL
            String token = params.get("token")
                    .orElseThrow(() -> RequestParameters.invalid("The token parameter is missing"));
            // RFC 7009 §2.1: client authentication as at the token endpoint; a public client by client_id
            OAuthClient client = ctx.authenticate(tenant, params, request, true).client();
            if (ctx.grants() == null) {
                throw new RequestRejected(UNSUPPORTED_TOKEN_TYPE);
            }
            RevocationResult result = revoke(tenant, client,
                    PresentedToken.find(ctx, tenant, token, params.get("token_type_hint").orElse(null)), now);
            events.revocation(tenant, client.clientId(), now, result);
            return result;
        });
    }

    private RevocationResult revoke(String tenant, OAuthClient client, Optional<PresentedToken> presented,
            Instant now) {
        Optional<Grant> grant = presented.flatMap(RevocationEndpoint::grantOf);
        // RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the
        // revocation request". Another client's token is answered like an invalid one (RFC 7009 §2.2:
        // 200), so that the answer never tells another client's token exists; nothing changes.
        if (grant.isEmpty() || !grant.get().clientId().equals(client.clientId())) {
            return new RevocationResult.NotRevoked();
        }
        if (!GrantRevocation.revoke(ctx.grants(), grant.get(), now)) {
            return new RevocationResult.NotRevoked();
        }
        return new RevocationResult.Revoked(grant.get().id(),
                presented.get() instanceof PresentedToken.Refresh ? PresentedToken.REFRESH_TOKEN
                        : PresentedToken.ACCESS_TOKEN);
    }

    /** The grant a token belongs to: a refresh token's, or the one an access token of the same client names. */
    private static Optional<Grant> grantOf(PresentedToken presented) {
        if (presented instanceof PresentedToken.Refresh refresh) {
            return Optional.of(refresh.match().grant());
        }
        PresentedToken.Access access = (PresentedToken.Access) presented;
        return access.grant().filter(g -> g.clientId().equals(access.token().clientId()));
    }
}
