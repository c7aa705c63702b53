package org.devicegrant.http.tck;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.devicegrant.Issuance;
import org.devicegrant.DeviceGrant;
import org.devicegrant.Endpoints;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.storage.tck.MutableClock;
import org.devicegrant.token.JwtTokenIssuer;
import org.devicegrant.token.TokenIssuer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A device grant wired from real in-memory collaborators and a {@link MutableClock}, as
 * core's own tests wire it, keeping grants in an {@link InMemoryGrantStore} (refresh tokens,
 * revocation, introspection). Clients of the default tenant: {@code tv} (public),
 * {@code confidential} (secret {@code s3cret}), {@code resource-server} (secret
 * {@code rs-s3cret}, may introspect), {@code web-only} (device grant off); of tenant
 * {@code acme}: {@code acme-tv}. One instance per test.
 */
final class AdapterTestGrant {

    static final URI ISSUER = URI.create("https://id.example.com");
    static final String TENANT = DeviceGrantRequest.DEFAULT_TENANT;
    static final String OTHER_TENANT = "acme";
    private static final ECKey SIGNING_KEY = ecKey();
    private static final byte[] USER_CODE_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final SecureRandom random = new SecureRandom();

    DeviceGrant grant() {
        return grant(b -> b);
    }

    DeviceGrant grant(UnaryOperator<DeviceGrant.Builder> customize) {
        return grant(customize, JwtTokenIssuer.builder().issuer(ISSUER).signingKey(SIGNING_KEY).clock(clock)
                .random(random).build());
    }

    DeviceGrant grant(UnaryOperator<DeviceGrant.Builder> customize, TokenIssuer tokenIssuer) {
        return customize.apply(DeviceGrant.builder()
                        .endpoints(Endpoints.of(ISSUER, URI.create("https://id.example.com/device")))
                        .store(InMemoryDeviceAuthorizationStore.create())
                        .attemptLimiter(new InMemoryAttemptLimiter())
                        .clientRegistry(clients())
                        .issuance(Issuance.by(tokenIssuer).withGrants(InMemoryGrantStore.create()))
                        .clock(clock)
                        .random(random)
                        .userCodeKey(USER_CODE_KEY))
                .build();
    }

    private static InMemoryClientRegistry clients() {
        Set<String> scopes = Set.of("openid", "profile", "offline_access");
        return InMemoryClientRegistry.builder()
                .client(TENANT, OAuthClient.builder("tv").allowedScopes(scopes).build())
                .client(TENANT, OAuthClient.builder("confidential").secret(ClientSecret.sha256("s3cret"))
                        .allowedScopes(scopes).build())
                .client(TENANT, OAuthClient.builder("resource-server").secret(ClientSecret.sha256("rs-s3cret"))
                        .mayIntrospect(true).build())
                .client(TENANT, OAuthClient.builder("web-only").allowedScopes(scopes)
                        .deviceGrantEnabled(false).build())
                .client(OTHER_TENANT, OAuthClient.builder("acme-tv").allowedScopes(scopes).build())
                .build();
    }

    private static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("adapter-test-es256").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
