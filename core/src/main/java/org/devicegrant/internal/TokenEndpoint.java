package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.TokenIssuanceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;

/**
 * The token endpoint for {@code grant_type=urn:ietf:params:oauth:grant-type:device_code}
 * (RFC 8628 §3.4–3.5; also {@code grant_type=device_code} where a tenant opted in to that alias),
 * and for {@code grant_type=refresh_token} (RFC 6749 §6, see {@link RefreshGrant}) when grants are kept. Each poll is one read and at most one compare-and-set; an approved
 * authorization moves to CONSUMED by compare-and-set <em>before</em> tokens are issued, so at
 * most one poll ever gets tokens. Decides into a {@link PollResult}; {@link ResponseRenderer} writes
 * it and {@link GrantEvents} tells the listener.
 */
public final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final Rejected UNSUPPORTED_GRANT_TYPE = new Rejected(OAuth2Error.UNSUPPORTED_GRANT_TYPE
            .setDescription("This endpoint serves the device_code grant only"));
    private static final Rejected UNSUPPORTED_GRANT_TYPE_WITH_REFRESH = new Rejected(OAuth2Error.UNSUPPORTED_GRANT_TYPE
            .setDescription("This endpoint serves the device_code and refresh_token grants only"));
    /** The short name a tenant may take for the device-code URN ({@link org.devicegrant.DeviceSettings}). */
    private static final String DEVICE_CODE_ALIAS = "device_code";
    private static final Rejected ALIAS_NOT_ACCEPTED = new Rejected(OAuth2Error.UNSUPPORTED_GRANT_TYPE
            .setDescription("grant_type device_code is not accepted here; use " + GrantType.DEVICE_CODE.getValue()));

    private final GrantContext ctx;
    private final GrantEvents events;
    private final RefreshTokens refreshTokens;
    private final RefreshGrant refreshGrant;

    public TokenEndpoint(GrantContext ctx) {
        this.ctx = ctx;
        this.events = new GrantEvents(ctx.listener());
        this.refreshTokens = new RefreshTokens(ctx);
        this.refreshGrant = new RefreshGrant(ctx, refreshTokens);
    }

    /** True for the grant types {@link #handle} serves: device_code, and refresh_token when grants are kept. */
    public boolean handlesGrantType(String grantType) {
        return GrantType.DEVICE_CODE.getValue().equals(grantType)
                || ctx.grants() != null && GrantType.REFRESH_TOKEN.getValue().equals(grantType);
    }

    /** As {@link #handlesGrantType(String)}, and true for {@code device_code} where the tenant takes that alias. */
    public boolean handlesGrantType(String tenant, String grantType) {
        return handlesGrantType(grantTypeOf(tenant, grantType));
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("token request", request, (tenant, params, now) -> {
            String named = params.get("grant_type")
                    .orElseThrow(() -> RequestParameters.invalid("The grant_type parameter is missing"));
            String grantType = grantTypeOf(tenant, named);
            if (ctx.grants() != null && GrantType.REFRESH_TOKEN.getValue().equals(grantType)) {
                return refresh(tenant, params, request, now);
            }
            if (!GrantType.DEVICE_CODE.getValue().equals(grantType)) {
                return DEVICE_CODE_ALIAS.equals(named) ? ALIAS_NOT_ACCEPTED
                        : ctx.grants() != null ? UNSUPPORTED_GRANT_TYPE_WITH_REFRESH : UNSUPPORTED_GRANT_TYPE;
            }
            // RFC 8628 §3.4: device_code REQUIRED
            String deviceCode = params.get("device_code")
                    .orElseThrow(() -> RequestParameters.invalid("The device_code parameter is missing"));
            OAuthClient client = ctx.authenticateClient(tenant, params, request);
            PollResult result = poll(tenant, client, ctx.hasher().deviceCodeHash(deviceCode), now);
            events.poll(tenant, client.clientId(), now, result);
            return result;
        });
    }

    /**
     * The grant type a request names: {@code device_code} stands for the URN of RFC 8628 §3.4 where
     * the tenant opted in to that alias; any other name, and the alias elsewhere, stands for itself.
     */
    private String grantTypeOf(String tenant, String named) {
        return DEVICE_CODE_ALIAS.equals(named) && ctx.settings().deviceCodeGrantTypeAlias(tenant)
                ? GrantType.DEVICE_CODE.getValue() : named;
    }

    private RefreshResult refresh(String tenant, RequestParameters params, DeviceGrantRequest request, Instant now)
            throws RequestRejected {
        // RFC 6749 §6: refresh_token REQUIRED, scope OPTIONAL
        String refreshToken = params.get("refresh_token")
                .orElseThrow(() -> RequestParameters.invalid("The refresh_token parameter is missing"));
        // RFC 6749 §6: the client authenticates as it did for the grant it refreshes
        OAuthClient client = ctx.authenticateClient(tenant, params, request);
        RefreshResult result = refreshGrant.refresh(tenant, client, refreshToken, params.get("scope").orElse(null), now);
        events.refresh(tenant, client.clientId(), now, result);
        return result;
    }

    private PollResult poll(String tenant, OAuthClient client, String deviceCodeHash, Instant now) {
        Optional<DeviceAuthorization> found = ctx.store().findByDeviceCodeHash(tenant, deviceCodeHash);
        if (found.isEmpty()) {
            return new PollResult.UnknownCode();
        }
        DeviceAuthorization current = found.get();
        StateMachine.Transition t = ctx.stateMachine().poll(current, client.clientId(), now);
        for (int lostRaces = 1; t.changes() && !ctx.store().replace(current.version(), t.next()); lostRaces++) {
            found = ctx.store().findByDeviceCodeHash(tenant, deviceCodeHash); // lost the race: look again
            if (found.isEmpty()) {
                return new PollResult.UnknownCode();
            }
            current = found.get();
            t = ctx.stateMachine().pollAfterLostRaces(current, client.clientId(), lostRaces, now);
        }
        return answer(tenant, client, current, t, now);
    }

    private PollResult answer(String tenant, OAuthClient client, DeviceAuthorization before,
            StateMachine.Transition t, Instant now) {
        String id = before.id();
        return switch (t.outcome()) {
            case PENDING -> new PollResult.Pending(id);
            case SLOW_DOWN -> new PollResult.SlowDown(id, t.next().interval());
            case RACED_OUT -> new PollResult.RacedOut(id);
            case DENIED -> new PollResult.Denied(id);
            case EXPIRED -> new PollResult.Expired(id);
            case REPLAY -> replayed(tenant, id, now);
            case WRONG_CLIENT -> new PollResult.WrongClient(id, t.changes());
            case ISSUE_TOKENS -> issueTokens(tenant, client, t.next(), now);
            default -> throw new IllegalStateException("not a poll outcome: " + t.outcome());
        };
    }

    /**
     * RFC 6749 §10.5 (for authorization codes, and so for device codes): a code used twice revokes
     * the tokens issued from it; here, the grant its redemption created.
     */
    private PollResult replayed(String tenant, String authorizationId, Instant now) {
        boolean revoked = ctx.grants() != null && GrantRevocation.revoke(ctx.grants(), tenant, authorizationId, now);
        return new PollResult.Replayed(authorizationId, revoked);
    }

    /**
     * Issues tokens for an authorization this poll has just consumed, once the host's
     * {@link org.devicegrant.AccountCheck} still allows the approving account. If the check or the
     * issuer fails, the authorization is put back to APPROVED (another compare-and-set), so that the
     * device's next poll can redeem it; if that also fails, it stays CONSUMED and the device must start
     * over. Either way the device is told {@code server_error} and gets no token.
     *
     * <p>When grants are kept, the grant (with the hash of its refresh token, if one is due) is
     * stored after the tokens are signed and before they are answered: a failing store is handled
     * like a failing issuer, so no device holds tokens whose grant is not stored. The refresh token
     * is the library's; one the token issuer returns is dropped.
     */
    private PollResult issueTokens(String tenant, OAuthClient client, DeviceAuthorization consumed, Instant now) {
        PollResult.Issued issued;
        try {
            if (!ctx.accountCheck().mayReceiveTokens(tenant, consumed.subject(), client.clientId())) {
                return new PollResult.AccountRefused(consumed.id());
            }
            IssuedTokens tokens = ctx.tokenIssuer().issue(new TokenIssuanceRequest(tenant, client, consumed.subject(),
                    consumed.grantedScopes(), RefreshTokens.claims(consumed.claims(), "authorization " + consumed.id()),
                    consumed.authTime(), consumed.id(), now));
            String refreshToken = ctx.grants() != null && RefreshTokens.due(consumed.grantedScopes(), client)
                    ? refreshTokens.mint() : null;
            // refuses a token type this server cannot send
            issued = new PollResult.Issued(consumed.id(), RefreshTokens.withRefreshToken(tokens, refreshToken));
            if (ctx.grants() != null) {
                ctx.grants().create(refreshTokens.grantOf(tenant, client, consumed, refreshToken, now));
            }
        } catch (RuntimeException e) {
            boolean restored = restore(consumed);
            LOG.warn("token issuance failed for authorization {}; {}: {}", consumed.id(),
                    restored ? "it stays redeemable" : "it could not be restored and is spent", e.toString());
            return new PollResult.IssuanceFailed(consumed.id(), restored);
        }
        return issued;
    }

    private boolean restore(DeviceAuthorization consumed) {
        DeviceAuthorization approvedAgain = consumed.toBuilder().status(AuthorizationStatus.APPROVED).nextVersion().build();
        try {
            return ctx.store().replace(consumed.version(), approvedAgain);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
