package org.devicegrant.integration;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.devicegrant.Issuance;
import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.Endpoints;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.tck.MutableClock;
import org.devicegrant.token.JwtTokenIssuer;

/**
 * Two engines ("nodes") over one backend, as a load-balanced deployment runs them: each node
 * has its own store client (its own pool or Redis connection), and both share the clock (a
 * {@link MutableClock}), the user-code key, the client registry and the signing key. The test
 * reads the truth through the deployment's direct client.
 */
final class Cluster implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    static final String TENANT = DeviceGrantRequest.DEFAULT_TENANT;
    static final String CLIENT_ID = "tv";
    /** A confidential client, authenticating with {@link #CONFIDENTIAL_SECRET} (RFC 6749 §2.3.1). */
    static final String CONFIDENTIAL_ID = "console";
    static final String CONFIDENTIAL_SECRET = "console-secret-5bQm2xV9";
    static final URI ISSUER = URI.create("https://id.example.com");
    static final byte[] USER_CODE_KEY = "integration-user-code-key-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final ECKey SIGNING_KEY = ecKey();
    private static final CodeHasher HASHER = new CodeHasher(USER_CODE_KEY);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    final Backend.Deployment deployment;
    final MutableClock clock = new MutableClock(START);
    final Backend.Node storesA;
    final Backend.Node storesB;
    final DeviceGrant nodeA;
    final DeviceGrant nodeB;

    private Cluster(Backend.Deployment deployment, Backend.NodeSettings settings) throws Exception {
        this.deployment = deployment;
        InMemoryClientRegistry clients = clients();
        this.storesA = deployment.node("a", settings);
        this.storesB = deployment.node("b", settings);
        this.nodeA = engine(storesA.store(), storesA.limiter(), clients, clock);
        this.nodeB = engine(storesB.store(), storesB.limiter(), clients, clock);
    }

    /** Deploys on {@code backend} (skipping the test when its server is down) and starts two nodes. */
    static Cluster start(Backend backend, Backend.NodeSettings settings) throws Exception {
        Backend.Deployment deployment = backend.deploy();
        try {
            return new Cluster(deployment, settings);
        } catch (Exception | Error e) {
            deployment.close();
            throw e;
        }
    }

    /** Node A for even {@code i}, node B for odd. */
    DeviceGrant node(int i) {
        return i % 2 == 0 ? nodeA : nodeB;
    }

    /** One engine as a host builds it at start-up. */
    static DeviceGrant engine(DeviceAuthorizationStore store, AttemptLimiter limiter, InMemoryClientRegistry clients,
            MutableClock clock) {
        SecureRandom random = new SecureRandom();
        return DeviceGrant.builder()
                .endpoints(Endpoints.of(ISSUER, URI.create("https://id.example.com/device")))
                .store(store)
                .attemptLimiter(limiter)
                .clientRegistry(clients)
                .issuance(Issuance.by(JwtTokenIssuer.builder().issuer(ISSUER).signingKey(SIGNING_KEY).clock(clock)
                        .random(random).build()))
                .clock(clock)
                .random(random)
                .userCodeKey(USER_CODE_KEY)
                .build();
    }

    static InMemoryClientRegistry clients() {
        return InMemoryClientRegistry.builder()
                .client(TENANT, OAuthClient.builder(CLIENT_ID).name("Living-room TV")
                        .allowedScopes(Set.of("openid", "profile")).build())
                .client(TENANT, OAuthClient.builder(CONFIDENTIAL_ID).name("Console")
                        .secret(ClientSecret.sha256(CONFIDENTIAL_SECRET)).allowedScopes(Set.of("openid")).build())
                .build();
    }

    /** Codes issued to the device. */
    record Issued(String deviceCode, String userCode) {
    }

    static Issued authorize(DeviceGrant node) {
        DeviceGrantResponse response = node.deviceAuthorization(form("client_id", CLIENT_ID, "scope", "openid"));
        Map<String, Object> body = json(response);
        if (response.status() != 200) {
            throw new AssertionError("device authorization failed: " + response.status() + " " + body.get("error"));
        }
        return new Issued((String) body.get("device_code"), (String) body.get("user_code"));
    }

    static void approve(DeviceGrant node, Issued issued) {
        DecisionResult result = node.verification().approve(TENANT, issued.userCode(), "alice", Set.of("openid"),
                Map.of(), null);
        if (!(result instanceof DecisionResult.Recorded)) {
            throw new AssertionError("approval not recorded: " + result.getClass().getSimpleName());
        }
    }

    static DeviceGrantResponse poll(DeviceGrant node, Issued issued) {
        return node.token(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", issued.deviceCode(), "client_id", CLIENT_ID));
    }

    /** The OAuth error code of a response, or {@code "tokens"} for a 200 that carries an access token. */
    static String outcome(DeviceGrantResponse response) {
        Map<String, Object> body = json(response);
        if (response.status() == 200) {
            return body.get("access_token") instanceof String ? "tokens" : "200 without access_token";
        }
        return String.valueOf(body.get("error"));
    }

    /** The stored record of {@code issued}, read directly (never through the proxy). */
    DeviceAuthorization record(Issued issued) {
        return deployment.truth().findByDeviceCodeHash(TENANT, HASHER.deviceCodeHash(issued.deviceCode()))
                .orElseThrow(() -> new AssertionError("no record for the issued device code"));
    }

    /** After a restore: retries a cheap read on both nodes until it answers, for at most 20 s. */
    void awaitNodesRecovered() {
        long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
        boolean a = false;
        boolean b = false;
        while (!(a && b)) {
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("the nodes did not reach the backend within "
                        + RECOVERY_BOUND + " after the proxy was restored (node A " + (a ? "up" : "down") + ", node B "
                        + (b ? "up" : "down") + ")");
                try {
                    (a ? storesB : storesA).store().countPending(TENANT, clock.instant());
                } catch (RuntimeException e) {
                    failure.initCause(e);
                }
                throw failure;
            }
            a = a || answers(storesA.store());
            b = b || answers(storesB.store());
            if (!(a && b)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private boolean answers(DeviceAuthorizationStore store) {
        try {
            store.countPending(TENANT, clock.instant());
            return true;
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    static DeviceGrantRequest form(String... nameValuePairs) {
        return DeviceGrantRequest.formOf(nameValuePairs);
    }

    static Map<String, Object> json(DeviceGrantResponse response) {
        try {
            return JSON.readValue(response.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("the response body is not JSON (status " + response.status() + ")", e);
        }
    }

    @Override
    public void close() throws java.sql.SQLException {
        deployment.close();
    }

    private static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("integration-es256").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
