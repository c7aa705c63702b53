package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.Grant;
import org.devicegrant.token.IssuedAccessToken;

import java.time.Instant;
import java.util.Optional;

/**
 * The token introspection endpoint (RFC 7662) for the confidential clients a host allows
 * ({@link org.devicegrant.clientauth.OAuthClient#mayIntrospect()}), such as resource servers. An
 * access token is active while it is valid and its grant is active; a refresh token while it is its
 * grant's current one and the grant is active. Everything else is {@code active: false}. Decides
 * into an {@link IntrospectionResult}; {@link ResponseRenderer} writes it. Changes nothing.
 */
public final class IntrospectionEndpoint {

    /**
     * A public client identified itself by {@code client_id} but proved nothing: RFC 7662 §2.1 asks
     * for authentication, so this is a failed client authentication (RFC 6749 §5.2).
     */
    static final Rejected PUBLIC_CLIENT = new Rejected(OAuth2Error.INVALID_CLIENT
            .setDescription("Introspection requires client authentication"));

    /**
     * The client proved who it is but the host has not allowed it to introspect: it is not
     * authorized for this request (RFC 6749 §5.2 {@code unauthorized_client}).
     */
    static final Rejected NOT_ALLOWED = new Rejected(OAuth2Error.UNAUTHORIZED_CLIENT
            .setDescription("The client is not allowed to introspect tokens"));

    private final GrantContext ctx;

    public IntrospectionEndpoint(GrantContext ctx) {
        this.ctx = ctx;
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("introspection request", request, (tenant, params, now) -> {
            // RFC 7662 §2.1: token REQUIRED; token_type_hint OPTIONAL
            String token = params.get("token")
                    .orElseThrow(() -> RequestParameters.invalid("The token parameter is missing"));
            // RFC 7662 §2.1: "the endpoint MUST also require some form of authorization"
            ClientAuthenticationResult.Authenticated caller = ctx.authenticate(tenant, params, request, false);
            if (ClientAuthenticationMethod.NONE.equals(caller.method())) {
                throw new RequestRejected(PUBLIC_CLIENT);
            }
            if (!caller.client().mayIntrospect()) {
                throw new RequestRejected(NOT_ALLOWED);
            }
            return introspect(PresentedToken.find(ctx, tenant, token, params.get("token_type_hint").orElse(null)),
                    now);
        });
    }

    private IntrospectionResult introspect(Optional<PresentedToken> presented, Instant now) {
        if (presented.isEmpty()) {
            return new IntrospectionResult.Inactive();
        }
        return presented.get() instanceof PresentedToken.Refresh refresh ? refresh(refresh, now)
                : access((PresentedToken.Access) presented.get(), now);
    }

    private IntrospectionResult refresh(PresentedToken.Refresh refresh, Instant now) {
        Grant grant = refresh.match().grant();
        if (!refresh.match().current() || !grant.isActive(now)) {
            return new IntrospectionResult.Inactive();
        }
        return new IntrospectionResult.Active(ctx.endpoints().issuer().toString(), grant.subject(), grant.clientId(),
                grant.scopes(), grant.lastUsedAt(), grant.expiresAt(), grant.id(), null);
    }

    private IntrospectionResult access(PresentedToken.Access access, Instant now) {
        IssuedAccessToken token = access.token();
        if (ctx.grants() != null) {
            // with grants kept, an access token lives only as long as the grant it names
            Optional<Grant> grant = access.grant();
            if (grant.isEmpty() || !grant.get().isActive(now) || !grant.get().clientId().equals(token.clientId())) {
                return new IntrospectionResult.Inactive();
            }
        }
        return new IntrospectionResult.Active(token.issuer(), token.subject(), token.clientId(), token.scope(),
                token.issuedAt(), token.expiresAt(), token.grantId(), token.tokenType());
    }
}
