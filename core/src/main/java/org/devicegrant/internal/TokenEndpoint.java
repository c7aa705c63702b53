package org.devicegrant.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.AuthorizationStatus;
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
 * most one poll ever gets tokens. Decides into a {@link PollResult}; {@link ResponseRenderer} writes
 * it and {@link GrantEvents} tells the listener.
 */
public final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() { };

    private static final Rejected UNSUPPORTED_GRANT_TYPE = new Rejected(OAuth2Error.UNSUPPORTED_GRANT_TYPE
            .setDescription("This endpoint serves the device_code grant only"));

    private final GrantContext ctx;
    private final GrantEvents events;

    public TokenEndpoint(GrantContext ctx) {
        this.ctx = ctx;
        this.events = new GrantEvents(ctx.listener());
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("token request", request, (tenant, params, now) -> {
            String grantType = params.get("grant_type")
                    .orElseThrow(() -> RequestParameters.invalid("The grant_type parameter is missing"));
            if (!GrantType.DEVICE_CODE.getValue().equals(grantType)) {
                return UNSUPPORTED_GRANT_TYPE;
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
            case REPLAY -> new PollResult.Replayed(id);
            case WRONG_CLIENT -> new PollResult.WrongClient(id, t.changes());
            case ISSUE_TOKENS -> issueTokens(tenant, client, t.next(), now);
            default -> throw new IllegalStateException("not a poll outcome: " + t.outcome());
        };
    }

    /**
     * Issues tokens for an authorization this poll has just consumed, once the host's
     * {@link org.devicegrant.AccountCheck} still allows the approving account. If the check or the
     * issuer fails, the authorization is put back to APPROVED (another compare-and-set), so that the
     * device's next poll can redeem it; if that also fails, it stays CONSUMED and the device must start
     * over. Either way the device is told {@code server_error} and gets no token.
     */
    private PollResult issueTokens(String tenant, OAuthClient client, DeviceAuthorization consumed, Instant now) {
        PollResult.Issued issued;
        try {
            if (!ctx.accountCheck().mayReceiveTokens(tenant, consumed.subject(), client.clientId())) {
                return new PollResult.AccountRefused(consumed.id());
            }
            IssuedTokens tokens = ctx.tokenIssuer().issue(new TokenIssuanceRequest(tenant, client, consumed.subject(),
                    consumed.grantedScopes(), claims(consumed), consumed.authTime(), consumed.id(), now));
            issued = new PollResult.Issued(consumed.id(), tokens); // refuses a token type this server cannot send
        } catch (RuntimeException e) {
            boolean restored = restore(consumed);
            LOG.warn("token issuance failed for authorization {}; {}: {}", consumed.id(),
                    restored ? "it stays redeemable" : "it could not be restored and is spent", e.toString());
            return new PollResult.IssuanceFailed(consumed.id(), restored);
        }
        link(tenant, consumed, now);
        return issued;
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
        DeviceAuthorization approvedAgain = consumed.toBuilder().status(AuthorizationStatus.APPROVED).nextVersion().build();
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
}
