package org.devicegrant.http.jdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.DeviceSettings;
import org.devicegrant.Endpoints;
import org.devicegrant.Issuance;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.TenantResolver;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.devicegrant.storage.tck.MutableClock;
import org.devicegrant.token.JwtTokenIssuer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the code of README.md's "Refresh tokens and revocation" section over real HTTP through the
 * JDK adapter: the device signs in with {@code offline_access}, refreshes (rotation), the resource
 * server introspects, the device revokes, and introspection then says inactive.
 * {@code ReadmeExamplesTest} in integration-tests checks that README.md still shows exactly this code.
 */
class RefreshExampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String base;

    @Test
    void theReadmeRefreshWiringServesRefreshRevocationAndIntrospection() throws Exception {
        var signingKey = new ECKeyGenerator(Curve.P_256).keyID("readme-es256").generate();
        byte[] userCodeKey = "readme-user-code-key-0123456789ab".getBytes(StandardCharsets.US_ASCII);
        String resourceServerSecret = "rs-secret";
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        SecureRandom random = new SecureRandom();
        JwtTokenIssuer jwt = JwtTokenIssuer.builder().issuer(URI.create("https://id.example.com"))
                .signingKey(signingKey).clock(clock).random(random).build();

        // readme:refresh:start
        InMemoryGrantStore grants = InMemoryGrantStore.create();   // several nodes: JdbcGrantStore, RedisGrantStore
        InMemoryClientRegistry clients = InMemoryClientRegistry.builder()
                .client("default", OAuthClient.builder("living-room-tv").name("Living-room TV")
                        .allowedScopes(Set.of("openid", "offline_access"))   // offline_access: a refresh token
                        .deviceSettings(DeviceSettings.inherit()               // this client's own lifetimes
                                .withRefreshLifetimes(Duration.ofDays(14), Duration.ofDays(60)))
                        .build())
                .client("default", OAuthClient.builder("photos-api")      // a resource server
                        .secret(ClientSecret.sha256(resourceServerSecret))
                        .mayIntrospect(true).build())
                .build();
        DeviceGrant grant = DeviceGrant.builder()
                .endpoints(Endpoints.of(URI.create("https://id.example.com"),
                                URI.create("https://id.example.com/device"))
                        .withRevocationEndpoint(URI.create("https://id.example.com/oauth2/revoke"))
                        .withIntrospectionEndpoint(URI.create("https://id.example.com/oauth2/introspect")))
                .store(InMemoryDeviceAuthorizationStore.create())
                .attemptLimiter(new InMemoryAttemptLimiter())
                .clientRegistry(clients)
                .issuance(Issuance.by(jwt).withGrants(grants)
                        .withRefreshLifetimes(Duration.ofDays(30), Duration.ofDays(90))   // idle, absolute
                        .withConfidentialRotation(true)     // public clients' refresh tokens always rotate
                        .withReuseGrace(Duration.ZERO))     // strict: see below
                .userCodeKey(userCodeKey)
                .clock(clock).random(random)
                .build();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);   // 0: a free port
        TenantResolver single = TenantResolver.single();
        server.createContext("/oauth2/device_authorization", DeviceGrantHttpHandlers.deviceAuthorization(grant, single));
        server.createContext("/oauth2/token", DeviceGrantHttpHandlers.token(grant, single));   // refresh_token too
        server.createContext("/oauth2/revoke", DeviceGrantHttpHandlers.revocation(grant, single));
        server.createContext("/oauth2/introspect", DeviceGrantHttpHandlers.introspection(grant, single));
        server.setExecutor(Executors.newFixedThreadPool(32));   // bounded: see DeviceGrantHttpHandlers
        server.start();
        // readme:refresh:end

        try {
            base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(grant.metadata()).containsEntry("revocation_endpoint", "https://id.example.com/oauth2/revoke")
                    .containsEntry("introspection_endpoint", "https://id.example.com/oauth2/introspect");

            Map<String, Object> codes = ok(post("/oauth2/device_authorization", null,
                    "client_id", "living-room-tv", "scope", "openid offline_access"));
            assertThat(grant.verification().approve("default", (String) codes.get("user_code"), "alice",
                    Set.of("openid", "offline_access"), Map.of(), null)).isInstanceOf(DecisionResult.Recorded.class);
            Map<String, Object> tokens = ok(post("/oauth2/token", null, "client_id", "living-room-tv",
                    "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                    "device_code", (String) codes.get("device_code")));
            String first = (String) tokens.get("refresh_token");
            assertThat(first).isNotNull();
            List<Grant> active = grants.listActive("default", "alice", clock.instant());
            assertThat(active).singleElement().extracting(Grant::expiresAt)
                    .as("the client's own idle lifetime").isEqualTo(clock.instant().plus(Duration.ofDays(14)));

            Map<String, Object> refreshed = ok(post("/oauth2/token", null, "client_id", "living-room-tv",
                    "grant_type", "refresh_token", "refresh_token", first));
            String second = (String) refreshed.get("refresh_token");
            assertThat(second).as("rotation").isNotNull().isNotEqualTo(first);

            String accessToken = (String) refreshed.get("access_token");
            String photosApi = "Basic " + Base64.getEncoder().encodeToString(
                    ("photos-api:" + resourceServerSecret).getBytes(StandardCharsets.UTF_8));
            assertThat(ok(post("/oauth2/introspect", photosApi, "token", accessToken)))
                    .containsEntry("active", true).containsEntry("sub", "alice")
                    .containsEntry("client_id", "living-room-tv");

            HttpResponse<String> revoked = post("/oauth2/revoke", null, "client_id", "living-room-tv",
                    "token", second, "token_type_hint", "refresh_token");
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            assertThat(ok(post("/oauth2/introspect", photosApi, "token", accessToken)))
                    .isEqualTo(Map.of("active", false));
            HttpResponse<String> afterRevocation = post("/oauth2/token", null, "client_id", "living-room-tv",
                    "grant_type", "refresh_token", "refresh_token", second);
            assertThat(afterRevocation.statusCode()).isEqualTo(400);
            assertThat(json(afterRevocation)).containsEntry("error", "invalid_grant");
        } finally {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private HttpResponse<String> post(String path, String authorization, String... nameValuePairs)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(DeviceGrantRequest.formBody(nameValuePairs)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> ok(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }
}
