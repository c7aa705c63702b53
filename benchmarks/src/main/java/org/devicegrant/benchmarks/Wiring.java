package org.devicegrant.benchmarks;

import org.devicegrant.Issuance;
import org.devicegrant.CodePolicy;
import org.devicegrant.DeviceGrant;
import org.devicegrant.Endpoints;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.token.JwtTokenIssuer;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * How every benchmark of ours wires a {@link DeviceGrant}: the way a host would, with one public
 * device client, the JWT token issuer and the system's default {@code SecureRandom}.
 */
final class Wiring {

    static final URI ISSUER = URI.create("https://id.example.com");
    static final URI VERIFICATION_URI = URI.create("https://id.example.com/device");
    static final String TENANT = DeviceGrantRequest.DEFAULT_TENANT;
    static final String CLIENT_ID = "tv-app";
    static final Set<String> SCOPES = Set.of("profile", "email", "offline_access");
    /** What the device asks for and the user grants in a full cycle: no {@code openid}, so one token is signed. */
    static final String REQUESTED_SCOPE = "profile email";
    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    static final byte[] USER_CODE_KEY = "benchmark-user-code-hmac-key-0123456789".getBytes(StandardCharsets.US_ASCII);

    private Wiring() {
    }

    /** The randomness a host gets when it injects none: {@code new SecureRandom()}. */
    @SuppressForbidden
    static SecureRandom defaultRandom() {
        return new SecureRandom();
    }

    static CodeHasher hasher() {
        return new CodeHasher(USER_CODE_KEY);
    }

    static InMemoryClientRegistry clients() {
        return InMemoryClientRegistry.builder()
                .client(TENANT, OAuthClient.builder(CLIENT_ID).name("Living-room TV").allowedScopes(SCOPES).build())
                .build();
    }

    static JwtTokenIssuer tokenIssuer(Algorithm algorithm, Clock clock, SecureRandom random) {
        return JwtTokenIssuer.builder().issuer(ISSUER).signingKey(algorithm.newKeyPair(random), "bench-" + algorithm)
                .clock(clock).random(random).build();
    }

    /**
     * A grant over {@code store}; {@code maxPendingPerClient} 1,000 so that the device
     * authorization benchmarks, which keep about 600 codes pending, are never capped.
     */
    static DeviceGrant grant(DeviceAuthorizationStore store, AttemptLimiter limiter, Clock clock, SecureRandom random,
            Algorithm algorithm) {
        return DeviceGrant.builder()
                .endpoints(Endpoints.of(ISSUER, VERIFICATION_URI))
                .codePolicy(CodePolicy.defaults().withMaxPendingPerClient(1_000))
                .store(store)
                .attemptLimiter(limiter)
                .clientRegistry(clients())
                .issuance(Issuance.by(tokenIssuer(algorithm, clock, random)))
                .clock(clock)
                .random(random)
                .userCodeKey(USER_CODE_KEY)
                .build();
    }

    /** The device authorization request of the benchmark client, as a public client sends it. */
    static DeviceGrantRequest deviceAuthorizationRequest() {
        return DeviceGrantRequest.form("client_id=" + CLIENT_ID + "&scope="
                + URLEncoder.encode(REQUESTED_SCOPE, StandardCharsets.UTF_8));
    }

    private static final String POLL_PREFIX = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id="
            + CLIENT_ID + "&device_code=";

    /** A token request of the benchmark client for {@code deviceCode} (base64url, so no encoding needed). */
    static DeviceGrantRequest pollRequest(String deviceCode) {
        return DeviceGrantRequest.form(POLL_PREFIX + deviceCode);
    }
}
