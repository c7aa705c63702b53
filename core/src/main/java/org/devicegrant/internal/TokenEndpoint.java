package org.devicegrant.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.devicegrant.DeviceGrantEvent;
import org.devicegrant.clientauth.RegisteredClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.Status;
import org.devicegrant.token.IssuedTokens;
import org.devicegrant.token.TokenIssuanceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint for {@code grant_type=urn:ietf:params:oauth:grant-type:device_code}
 * (RFC 8628 §3.4–3.5). Each poll is one read and at most one compare-and-set; an approved
 * authorization moves to CONSUMED by compare-and-set <em>before</em> tokens are issued, so at
 * most one poll ever gets tokens.
 */
public final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() { };

    /** Unknown and other-client codes get this same body (SECURITY-TESTS row 13). */
    static final ErrorObject UNKNOWN_CODE = OAuth2Error.INVALID_GRANT
            .setDescription("The device code is invalid or was not issued to this client");

    // The answers that never vary, rendered once: most polls get one of these.
    private static final DeviceGrantResponse UNKNOWN = Responses.error(UNKNOWN_CODE);
    private static final DeviceGrantResponse PENDING = Responses.error(DeviceAuthorizationGrantError.AUTHORIZATION_PENDING
            .setDescription("The user has not yet approved or denied this device"));
    private static final DeviceGrantResponse DENIED = Responses.error(OAuth2Error.ACCESS_DENIED
            .setDescription("The authorization request was denied"));
    private static final DeviceGrantResponse EXPIRED = Responses.error(DeviceAuthorizationGrantError.EXPIRED_TOKEN
            .setDescription("The device code has expired; start a new device authorization"));
    private static final DeviceGrantResponse USED = Responses.error(OAuth2Error.INVALID_GRANT
            .setDescription("The device code has already been used"));

    private final GrantContext ctx;

    public TokenEndpoint(GrantContext ctx) {
        this.ctx = ctx;
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("token request", request, (tenant, params, now) -> {
            String grantType = params.get("grant_type")
                    .orElseThrow(() -> RequestParameters.invalid("The grant_type parameter is missing"));
            if (!GrantType.DEVICE_CODE.getValue().equals(grantType)) {
                return Responses.error(OAuth2Error.UNSUPPORTED_GRANT_TYPE
                        .setDescription("This endpoint serves the device_code grant only"));
            }
            // RFC 8628 §3.4: device_code REQUIRED (D22)
            String deviceCode = params.get("device_code")
                    .orElseThrow(() -> RequestParameters.invalid("The device_code parameter is missing"));
            RegisteredClient client = ctx.authenticateClient(tenant, params, request);
            return poll(tenant, client, ctx.hasher().deviceCodeHash(deviceCode), now);
        });
    }

    private DeviceGrantResponse poll(String tenant, RegisteredClient client, String deviceCodeHash, Instant now) {
        Optional<DeviceAuthorization> found = ctx.store().findByDeviceCodeHash(tenant, deviceCodeHash);
        for (int attempt = 0; attempt < ctx.stateMachine().polling().raceAttempts() && found.isPresent(); attempt++) {
            DeviceAuthorization current = found.get();
            StateMachine.Transition t = ctx.stateMachine().poll(current, client.clientId(), now);
            if (!t.changes() || ctx.store().replace(current.version(), t.next())) {
                return answer(tenant, client, current, t, now);
            }
            found = ctx.store().findByDeviceCodeHash(tenant, deviceCodeHash); // lost the race: look again
        }
        if (found.isEmpty()) {
            return UNKNOWN;
        }
        // polls of this code keep racing each other: that is polling too fast
        return Responses.error(DeviceAuthorizationGrantError.SLOW_DOWN
                .setDescription("Poll no more often than the interval allows"));
    }

    private DeviceGrantResponse answer(String tenant, RegisteredClient client, DeviceAuthorization before,
            StateMachine.Transition t, Instant now) {
        String id = before.id();
        String clientId = client.clientId();
        switch (t.outcome()) {
            case PENDING:
                ctx.emit(DeviceGrantEvent.Type.POLLED, tenant, id, clientId, now, "");
                return PENDING;
            case SLOW_DOWN:
                ctx.emit(DeviceGrantEvent.Type.SLOW_DOWN, tenant, id, clientId, now,
                        "interval now " + t.next().interval().toSeconds() + " s");
                return Responses.error(DeviceAuthorizationGrantError.SLOW_DOWN.setDescription(
                        "Polling too fast; wait at least " + t.next().interval().toSeconds() + " seconds between polls"));
            case DENIED:
                return DENIED;
            case EXPIRED:
                ctx.emit(DeviceGrantEvent.Type.EXPIRED, tenant, id, clientId, now, "poll");
                return EXPIRED;
            case REPLAY:
                ctx.emit(DeviceGrantEvent.Type.REPLAY, tenant, id, clientId, now, "consumed device code presented again");
                return USED;
            case WRONG_CLIENT:
                ctx.emit(DeviceGrantEvent.Type.WRONG_CLIENT, tenant, id, clientId, now,
                        t.changes() ? "authorization revoked" : "");
                return UNKNOWN;
            case ISSUE_TOKENS:
                return issueTokens(tenant, client, t.next(), now);
            default:
                throw new IllegalStateException("not a poll outcome: " + t.outcome());
        }
    }

    /**
     * Issues tokens for an authorization this poll has just consumed, once the host's
     * {@link AccountCheck} still allows the approving account. If the check or the issuer fails, the
     * authorization is put back to APPROVED (another compare-and-set), so that the device's next
     * poll can redeem it; if that also fails, it stays CONSUMED and the device must start over.
     * Either way the device is told {@code server_error} and gets no token.
     */
    private DeviceGrantResponse issueTokens(String tenant, RegisteredClient client, DeviceAuthorization consumed,
            Instant now) {
        IssuedTokens tokens;
        try {
            if (!ctx.accountCheck().mayReceiveTokens(tenant, consumed.subject(), client.clientId())) {
                ctx.emit(DeviceGrantEvent.Type.ACCOUNT_REFUSED, tenant, consumed.id(), client.clientId(), now,
                        "no tokens; authorization spent");
                return Responses.error(OAuth2Error.INVALID_GRANT
                        .setDescription("The account that approved this device can no longer authorize it"));
            }
            tokens = ctx.tokenIssuer().issue(new TokenIssuanceRequest(tenant, client, consumed.subject(),
                    consumed.grantedScopes(), claims(consumed), consumed.authTime(), consumed.id(), now));
        } catch (RuntimeException e) {
            boolean restored = restore(consumed);
            LOG.warn("token issuance failed for authorization {}; {}: {}", consumed.id(),
                    restored ? "it stays redeemable" : "it could not be restored and is spent", e.toString());
            ctx.emit(DeviceGrantEvent.Type.ISSUANCE_FAILED, tenant, consumed.id(), client.clientId(), now,
                    restored ? "restored to approved" : "left consumed");
            return Responses.serverError();
        }
        ctx.emit(DeviceGrantEvent.Type.TOKENS_ISSUED, tenant, consumed.id(), client.clientId(), now, "");
        link(tenant, consumed, now);
        return Responses.of(render(tokens).toHTTPResponse());
    }

    /** Keeps the device on the user's list of linked devices; a failure here never takes the tokens back. */
    private void link(String tenant, DeviceAuthorization consumed, Instant now) {
        if (ctx.linkedDevices() == null) {
            return;
        }
        try {
            ctx.linkedDevices().link(new LinkedDevice(tenant, consumed.subject(), consumed.id(), consumed.clientId(),
                    consumed.deviceMetadata(), consumed.grantedScopes(), now, now));
        } catch (RuntimeException e) {
            LOG.warn("could not record linked device of authorization {}: {}", consumed.id(), e.toString());
        }
    }

    private boolean restore(DeviceAuthorization consumed) {
        DeviceAuthorization approvedAgain = consumed.toBuilder().status(Status.APPROVED).nextVersion().build();
        try {
            return ctx.store().replace(consumed.version(), approvedAgain);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Map<String, Object> claims(DeviceAuthorization a) {
        if (a.claims() == null || a.claims().isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(a.claims(), CLAIMS);
        } catch (IOException e) {
            throw new IllegalStateException("stored claims of authorization " + a.id() + " are not a JSON object", e);
        }
    }

    private static AccessTokenResponse render(IssuedTokens tokens) {
        Scope scope = tokens.scope().isEmpty() ? null : new Scope(tokens.scope().toArray(String[]::new));
        BearerAccessToken access = new BearerAccessToken(tokens.accessToken(), tokens.expiresIn().toSeconds(), scope);
        RefreshToken refresh = tokens.refreshToken() == null ? null : new RefreshToken(tokens.refreshToken());
        if (tokens.idToken() != null) {
            return new OIDCTokenResponse(new OIDCTokens(tokens.idToken(), access, refresh));
        }
        return new AccessTokenResponse(new Tokens(access, refresh));
    }
}
