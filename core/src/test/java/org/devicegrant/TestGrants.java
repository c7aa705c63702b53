package org.devicegrant;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.storage.tck.MutableClock;
import org.devicegrant.token.JwtTokenIssuer;
import org.devicegrant.token.TokenIssuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A device grant wired for tests from real in-memory collaborators, driven by a
 * {@link MutableClock}. One instance per test.
 */
public final class TestGrants {

    public static final URI ISSUER = URI.create("https://id.example.com");
    public static final URI VERIFICATION_URI = URI.create("https://id.example.com/device");
    public static final Endpoints ENDPOINTS = Endpoints.of(ISSUER, VERIFICATION_URI);
    public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    public static final String TENANT = DeviceGrantRequest.DEFAULT_TENANT;
    public static final byte[] USER_CODE_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    public static final ECKey SIGNING_KEY = ecKey();
    private static final ObjectMapper JSON = new ObjectMapper();

    public final MutableClock clock = new MutableClock(START);
    final SecureRandom random = seeded(42);
    final DeviceAuthorizationStore store;
    final AttemptLimiter limiter;
    final InMemoryClientRegistry clients = clients();
    final JwtTokenIssuer jwtIssuer;
    /** Where grants live when a test keeps them ({@link #withGrants}). */
    public final InMemoryGrantStore grants = InMemoryGrantStore.create();

    public TestGrants() {
        this(InMemoryDeviceAuthorizationStore.create(), new InMemoryAttemptLimiter());
    }

    public TestGrants(DeviceAuthorizationStore store, AttemptLimiter limiter) {
        this.store = store;
        this.limiter = limiter;
        this.jwtIssuer = JwtTokenIssuer.builder().issuer(ISSUER).signingKey(SIGNING_KEY).clock(clock)
                .random(random).build();
    }

    public static InMemoryClientRegistry clients() {
        Set<String> scopes = Set.of("openid", "profile", "email", "offline_access");
        return InMemoryClientRegistry.builder()
                .client(TENANT, OAuthClient.builder("tv").name("Living-room TV").allowedScopes(scopes).build())
                .client(TENANT, OAuthClient.builder("other-tv").name("Other TV").allowedScopes(scopes).build())
                .client(TENANT, OAuthClient.builder("confidential").name("Console")
                        .secret(ClientSecret.sha256("s3cret")).allowedScopes(scopes).build())
                .client(TENANT, OAuthClient.builder("always-tv").allowedScopes(scopes).alwaysIssueRefreshToken(true)
                        .build())
                .client(TENANT, OAuthClient.builder("short-tv").allowedScopes(scopes).deviceSettings(
                        DeviceSettings.inherit().withRefreshLifetimes(Duration.ofHours(1), Duration.ofHours(2))).build())
                .client(TENANT, OAuthClient.builder("disabled").allowedScopes(scopes).enabled(false).build())
                .client(TENANT, OAuthClient.builder("web-only").allowedScopes(scopes)
                        .deviceGrantEnabled(false).build())
                .client(TENANT, OAuthClient.builder("resource-server").name("Photo API")
                        .secret(ClientSecret.sha256("rs-s3cret")).deviceGrantEnabled(false).mayIntrospect(true).build())
                .build();
    }

    /**
     * The usual wiring with {@link #ENDPOINTS}; {@code customize} may set what the defaults leave
     * unset: code policy, polling, hooks, tenant settings.
     */
    public DeviceGrant grant(UnaryOperator<DeviceGrant.Builder> customize) {
        return grant(ENDPOINTS, customize, jwtIssuer);
    }

    public DeviceGrant grant(UnaryOperator<DeviceGrant.Builder> customize, TokenIssuer tokenIssuer) {
        return grant(ENDPOINTS, customize, tokenIssuer);
    }

    /** The usual wiring with other endpoints. */
    public DeviceGrant grant(Endpoints endpoints, UnaryOperator<DeviceGrant.Builder> customize) {
        return grant(endpoints, customize, jwtIssuer);
    }

    /** The usual wiring with {@code issuance} (e.g. grants kept). */
    public DeviceGrant grant(Issuance issuance, UnaryOperator<DeviceGrant.Builder> customize) {
        return grant(ENDPOINTS, customize, issuance);
    }

    private DeviceGrant grant(Endpoints endpoints, UnaryOperator<DeviceGrant.Builder> customize,
            TokenIssuer tokenIssuer) {
        return grant(endpoints, customize, Issuance.by(tokenIssuer));
    }

    private DeviceGrant grant(Endpoints endpoints, UnaryOperator<DeviceGrant.Builder> customize, Issuance issuance) {
        DeviceGrant.Builder b = DeviceGrant.builder()
                .endpoints(endpoints)
                .store(store)
                .attemptLimiter(limiter)
                .clientRegistry(clients)
                .issuance(issuance)
                .clock(clock)
                .random(random)
                .userCodeKey(USER_CODE_KEY);
        return customize.apply(b).build();
    }

    public DeviceGrant grant() {
        return grant(b -> b);
    }

    /** The usual wiring, keeping grants in {@link #grants}: refresh tokens. */
    public DeviceGrant withGrants() {
        return withGrants(i -> i, b -> b);
    }

    /**
     * The usual wiring, keeping grants in {@link #grants}; {@code issuance} may set the refresh
     * settings, {@code customize} what the defaults leave unset.
     */
    public DeviceGrant withGrants(UnaryOperator<Issuance> issuance, UnaryOperator<DeviceGrant.Builder> customize) {
        return withGrants(issuance.apply(Issuance.by(jwtIssuer).withGrants(grants)), customize);
    }

    public DeviceGrant withGrants(Issuance issuance, UnaryOperator<DeviceGrant.Builder> customize) {
        DeviceGrant.Builder b = DeviceGrant.builder()
                .endpoints(ENDPOINTS)
                .store(store)
                .attemptLimiter(limiter)
                .clientRegistry(clients)
                .issuance(issuance)
                .clock(clock)
                .random(random)
                .userCodeKey(USER_CODE_KEY);
        return customize.apply(b).build();
    }

    /** A device code approved by {@code subject} for {@code granted}, redeemed: the token response. */
    public Map<String, Object> redeem(DeviceGrant grant, String clientId, String subject, Set<String> granted,
            Instant authTime) {
        Issued issued = authorize(grant, clientId, String.join(" ", granted));
        grant.verification().approve(TENANT, issued.userCode(), subject, granted, Map.of(), authTime);
        DeviceGrantResponse response = poll(grant, clientId, issued.deviceCode());
        Map<String, Object> body = json(response);
        if (response.status() != 200) {
            throw new AssertionError("redemption failed: " + response.status() + " " + body);
        }
        return body;
    }

    /** {@code grant_type=refresh_token} by a public client. */
    public static DeviceGrantResponse refresh(DeviceGrant grant, String clientId, String refreshToken) {
        return grant.token(form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
    }

    // ---- requests and responses ----

    public static DeviceGrantRequest form(String... nameValuePairs) {
        return DeviceGrantRequest.formOf(nameValuePairs);
    }

    public static DeviceGrantRequest basic(DeviceGrantRequest request, String clientId, String secret) {
        String credentials = Base64.getEncoder().encodeToString(
                (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return request.toBuilder().header("Authorization", "Basic " + credentials).build();
    }

    public static Map<String, Object> json(DeviceGrantResponse response) {
        try {
            return JSON.readValue(response.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    public static String error(DeviceGrantResponse response) {
        return (String) json(response).get("error");
    }

    /** Codes issued to a client: the device's side of one device authorization. */
    public record Issued(String deviceCode, String userCode, Map<String, Object> body) {
    }

    public static Issued authorize(DeviceGrant grant, String clientId, String scope) {
        DeviceGrantResponse response = scope == null
                ? grant.deviceAuthorization(form("client_id", clientId))
                : grant.deviceAuthorization(form("client_id", clientId, "scope", scope));
        Map<String, Object> body = json(response);
        if (response.status() != 200) {
            throw new AssertionError("device authorization failed: " + response.status() + " " + body);
        }
        return new Issued((String) body.get("device_code"), (String) body.get("user_code"), body);
    }

    public static DeviceGrantResponse poll(DeviceGrant grant, String clientId, String deviceCode) {
        return grant.token(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", deviceCode, "client_id", clientId));
    }

    public void advance(Duration d) {
        clock.advance(d);
    }

    public static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("test-es256").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
