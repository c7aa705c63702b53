package org.devicegrant.internal;

import org.devicegrant.clientauth.OAuthClient;
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
 * scope and the caps, issues a device code and a user code, stores only their hashes. Decides into
 * a {@link DeviceAuthorizationResult}; {@link ResponseRenderer} writes it and {@link GrantEvents}
 * tells the listener.
 */
public final class DeviceAuthorizationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthorizationEndpoint.class);

    /**
     * Regenerations of a colliding user code before giving up with server_error: a user code must
     * never point at two authorizations, so a collision is never overwritten.
     */
    static final int USER_CODE_ATTEMPTS = 10;

    private final GrantContext ctx;
    private final GrantEvents events;

    public DeviceAuthorizationEndpoint(GrantContext ctx) {
        this.ctx = ctx;
        this.events = new GrantEvents(ctx.listener());
    }

    public DeviceGrantResponse handle(DeviceGrantRequest request) {
        return ctx.handle("device authorization", request, (tenant, params, now) -> {
            OAuthClient client = ctx.authenticateClient(tenant, params, request);
            Set<String> scopes = Scopes.requested(params.get("scope").orElse(null), client);
            Map<String, String> metadata = DeviceMetadataReader.of(params, request);
            SettingsResolver.Effective settings = ctx.settings().resolve(tenant, client);
            DeviceAuthorizationResult result = authorize(tenant, client, scopes, metadata, settings, now);
            events.deviceAuthorization(tenant, client.clientId(), now, result);
            return result;
        });
    }

    private DeviceAuthorizationResult authorize(String tenant, OAuthClient client, Set<String> scopes,
            Map<String, String> metadata, SettingsResolver.Effective settings, Instant now) {
        // the client's cap is counted here; the tenant's is the store's to enforce, atomically, in create
        if (ctx.store().countPending(tenant, client.clientId(), now) >= settings.maxPendingPerClient()) {
            return DeviceAuthorizationResult.TooManyPending.CLIENT;
        }
        return issue(tenant, client, scopes, metadata, settings, now);
    }

    private DeviceAuthorizationResult issue(String tenant, OAuthClient client, Set<String> scopes,
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
                ctx.store().create(authorization, now, settings.maxPendingPerTenant());
            } catch (UserCodeCollisionException collision) {
                continue; // never overwrite: draw another code
            } catch (PendingLimitExceededException full) {
                return DeviceAuthorizationResult.TooManyPending.TENANT;
            }
            String display = settings.userCodeFormat().display(userCode);
            return new DeviceAuthorizationResult.Issued(authorization.id(), deviceCode, display,
                    ctx.verificationUri().toString(), ctx.verificationUriComplete(display),
                    settings.codeLifetime(), settings.pollingInterval(), settings.qrCode());
        }
        LOG.error("device authorization failed: {} user codes in a row collided; the code space is too small "
                + "for the number of pending authorizations", USER_CODE_ATTEMPTS);
        return Rejected.SERVER_ERROR;
    }
}
