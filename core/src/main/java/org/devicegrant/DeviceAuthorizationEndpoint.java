package org.devicegrant;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.UserCode;
import org.devicegrant.client.RegisteredClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.UserCodeCollisionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The device authorization endpoint (RFC 8628 §3.1–3.2): authenticates the client, checks the
 * scope and the caps, issues a device code and a user code, stores only their hashes.
 */
final class DeviceAuthorizationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthorizationEndpoint.class);

    /** Regenerations of a colliding user code before giving up with server_error (REQ-UC-6). */
    static final int USER_CODE_ATTEMPTS = 10;

    private final GrantContext ctx;

    DeviceAuthorizationEndpoint(GrantContext ctx) {
        this.ctx = ctx;
    }

    DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("device authorization", request, (tenant, params, now) -> {
            RegisteredClient client = ctx.authenticateClient(tenant, params, request);
            Set<String> scopes = Scopes.requested(params.get("scope").orElse(null), client);
            Map<String, String> metadata = DeviceMetadata.of(params, request);
            ErrorObject capped = checkCaps(tenant, client, now);
            if (capped != null) {
                return Responses.error(capped);
            }
            return issue(tenant, client, scopes, metadata, now);
        });
    }

    private ErrorObject checkCaps(String tenant, RegisteredClient client, Instant now) {
        if (ctx.store().countPending(tenant, client.clientId(), now) >= ctx.maxPendingPerClient()) {
            return tooManyPending("for this client");
        }
        if (ctx.store().countPending(tenant, now) >= ctx.maxPendingPerTenant()) {
            return tooManyPending("on this server");
        }
        return null;
    }

    /**
     * Over a cap the client is asked to come back later: HTTP 429 with {@code slow_down}, the
     * code RFC 8628 gives for "too fast", since RFC 6749 §5.2 has none for overload.
     */
    static ErrorObject tooManyPending(String where) {
        return new ErrorObject("slow_down", "Too many device authorizations are pending " + where
                + "; try again later", 429);
    }

    private DeviceGrantResponse issue(String tenant, RegisteredClient client, Set<String> scopes,
            Map<String, String> metadata, Instant now) {
        String deviceCode = ctx.deviceCodes().generate();
        DeviceAuthorization.Builder record = DeviceAuthorization.builder()
                .id(ctx.newAuthorizationId())
                .tenant(tenant)
                .deviceCodeHash(ctx.hasher().deviceCodeHash(deviceCode))
                .clientId(client.clientId())
                .requestedScopes(scopes)
                .deviceMetadata(metadata)
                .createdAt(now)
                .expiresAt(now.plus(ctx.codeLifetime()))
                .interval(ctx.pollingInterval());
        for (int attempt = 1; attempt <= USER_CODE_ATTEMPTS; attempt++) {
            String userCode = ctx.userCodeFormat().generate(ctx.random());
            DeviceAuthorization authorization = record.userCodeHash(ctx.hasher().userCodeHash(userCode)).build();
            try {
                ctx.store().create(authorization, now);
            } catch (UserCodeCollisionException collision) {
                continue; // REQ-UC-6: never overwrite; draw another code
            } catch (PendingLimitExceededException full) {
                return Responses.error(tooManyPending("on this server"));
            }
            ctx.emit(DeviceGrantEvent.Type.ISSUED, tenant, authorization.id(), client.clientId(), now, "");
            return success(deviceCode, userCode);
        }
        LOG.error("device authorization failed: {} user codes in a row collided; the code space is too small "
                + "for the number of pending authorizations", USER_CODE_ATTEMPTS);
        return Responses.serverError();
    }

    private DeviceGrantResponse success(String deviceCode, String userCode) {
        String display = ctx.userCodeFormat().display(userCode);
        // RFC 8628 §3.2: device_code, user_code, verification_uri, expires_in REQUIRED;
        // verification_uri_complete and interval OPTIONAL, and we always send both (D07–D13).
        DeviceAuthorizationSuccessResponse response = new DeviceAuthorizationSuccessResponse(
                new DeviceCode(deviceCode),
                new UserCode(display),
                ctx.verificationUri(),
                ctx.verificationUriComplete().apply(display),
                ctx.codeLifetime().toSeconds(),
                ctx.pollingInterval().toSeconds(),
                null);
        return Responses.of(response.toHTTPResponse());
    }
}
