package org.devicegrant.internal;

import org.devicegrant.DeviceGrantEvent;
import com.nimbusds.oauth2.sdk.ErrorObject;
import org.devicegrant.clientauth.RegisteredClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.qr.QrCodes;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.UserCodeCollisionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The device authorization endpoint (RFC 8628 §3.1–3.2): authenticates the client, checks the
 * scope and the caps, issues a device code and a user code, stores only their hashes.
 */
public final class DeviceAuthorizationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthorizationEndpoint.class);

    /** Width and height of the {@code qr_code} PNG. */
    static final int QR_CODE_PIXELS = 256;

    /** Regenerations of a colliding user code before giving up with server_error (REQ-UC-6). */
    static final int USER_CODE_ATTEMPTS = 10;

    private final GrantContext ctx;

    public DeviceAuthorizationEndpoint(GrantContext ctx) {
        this.ctx = ctx;
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("device authorization", request, (tenant, params, now) -> {
            RegisteredClient client = ctx.authenticateClient(tenant, params, request);
            Set<String> scopes = Scopes.requested(params.get("scope").orElse(null), client);
            Map<String, String> metadata = DeviceMetadataReader.of(params, request);
            SettingsResolver.Effective settings = ctx.settings().resolve(tenant, client);
            ErrorObject capped = checkCaps(tenant, client, settings, now);
            if (capped != null) {
                return Responses.error(capped);
            }
            return issue(tenant, client, scopes, metadata, settings, now);
        });
    }

    private ErrorObject checkCaps(String tenant, RegisteredClient client, SettingsResolver.Effective settings,
            Instant now) {
        if (ctx.store().countPending(tenant, client.clientId(), now) >= settings.maxPendingPerClient()) {
            return tooManyPending("for this client");
        }
        if (ctx.store().countPending(tenant, now) >= settings.maxPendingPerTenant()) {
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
            Map<String, String> metadata, SettingsResolver.Effective settings, Instant now) {
        // the device code and the authorization id (128 random bits, not a secret) in one draw
        DeviceCodeGenerator.CodeAndId drawn = ctx.deviceCodes().generateWithId(16);
        String deviceCode = drawn.deviceCode();
        DeviceAuthorization.Builder record = DeviceAuthorization.builder()
                .id(drawn.id())
                .tenant(tenant)
                .deviceCodeHash(ctx.hasher().deviceCodeHash(deviceCode))
                .clientId(client.clientId())
                .requestedScopes(scopes)
                .deviceMetadata(metadata)
                .createdAt(now)
                .expiresAt(now.plus(settings.codeLifetime()))
                .interval(settings.pollingInterval());
        for (int attempt = 1; attempt <= USER_CODE_ATTEMPTS; attempt++) {
            String userCode = settings.userCodeFormat().generate(ctx.random());
            DeviceAuthorization authorization = record.userCodeHash(ctx.hasher().userCodeHash(userCode)).build();
            try {
                ctx.store().create(authorization, now);
            } catch (UserCodeCollisionException collision) {
                continue; // REQ-UC-6: never overwrite; draw another code
            } catch (PendingLimitExceededException full) {
                return Responses.error(tooManyPending("on this server"));
            }
            ctx.emit(DeviceGrantEvent.Type.ISSUED, tenant, authorization.id(), client.clientId(), now, "");
            return success(deviceCode, userCode, settings);
        }
        LOG.error("device authorization failed: {} user codes in a row collided; the code space is too small "
                + "for the number of pending authorizations", USER_CODE_ATTEMPTS);
        return Responses.serverError();
    }

    private DeviceGrantResponse success(String deviceCode, String userCode, SettingsResolver.Effective settings) {
        String display = settings.userCodeFormat().display(userCode);
        String complete = ctx.verificationUriComplete(display);
        // RFC 8628 §3.2: device_code, user_code, verification_uri, expires_in REQUIRED;
        // verification_uri_complete and interval OPTIONAL, and we always send both (D07–D13).
        return Responses.json(200, Json.object(
                "device_code", deviceCode,
                "user_code", display,
                "verification_uri", ctx.verificationUri().toString(),
                "verification_uri_complete", complete,
                "expires_in", settings.codeLifetime().toSeconds(),
                "interval", settings.pollingInterval().toSeconds(),
                "qr_code", settings.qrCode() ? "data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(QrCodes.png(complete, QR_CODE_PIXELS)) : null));
    }
}
