package org.devicegrant;

import org.devicegrant.client.ClientAuthenticator;
import org.devicegrant.client.ClientRegistry;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.DeviceCodeGenerator;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.token.TokenIssuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/** Everything the handlers share, wired once by {@link DeviceGrant.Builder}. Immutable. */
record GrantContext(
        Clock clock,
        SecureRandom random,
        DeviceAuthorizationStore store,
        ClientRegistry clients,
        ClientAuthenticator clientAuthenticator,
        TokenIssuer tokenIssuer,
        AttemptLimiter attemptLimiter,
        DeviceGrantListener listener,
        CodeHasher hasher,
        DeviceCodeGenerator deviceCodes,
        UserCodeFormat userCodeFormat,
        Duration codeLifetime,
        Duration pollingInterval,
        StateMachine stateMachine,
        URI verificationUri,
        Function<String, URI> verificationUriComplete,
        long maxPendingPerClient,
        long maxPendingPerTenant) {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceGrant.class);

    /** Tells the listener; a failing listener never changes an outcome. */
    void emit(DeviceGrantEvent.Type type, String tenant, String authorizationId, String clientId, Instant at,
            String detail) {
        try {
            listener.onEvent(new DeviceGrantEvent(type, tenant, authorizationId, clientId, at, detail));
        } catch (RuntimeException e) {
            LOG.warn("device grant listener failed on {}: {}", type, e.toString());
        }
    }

    /** A new authorization id: 128 random bits, base64url. Not a secret; safe to log. */
    String newAuthorizationId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
