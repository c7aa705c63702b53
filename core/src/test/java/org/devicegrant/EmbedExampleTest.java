package org.devicegrant;

import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.JwtTokenIssuer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the "Embed it" code of README.md; {@code ReadmeExamplesTest} in integration-tests checks that
 * README.md still shows exactly this code.
 */
class EmbedExampleTest {

    @Test
    void theReadmeWiringRunsTheWholeFlow() throws Exception {
        var signingKey = TestGrants.SIGNING_KEY;
        byte[] userCodeKey = TestGrants.USER_CODE_KEY;
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), java.time.ZoneOffset.UTC);
        SecureRandom random = TestGrants.seeded(7);

        // embed:start
        InMemoryClientRegistry clients = InMemoryClientRegistry.builder()
                .client("default", OAuthClient.builder("living-room-tv")
                        .name("Living-room TV").allowedScopes(Set.of("openid", "profile")).build())
                .build();
        JwtTokenIssuer jwt = JwtTokenIssuer.builder()
                .issuer(URI.create("https://id.example.com"))
                .signingKey(signingKey)            // RSA, EC P-256 or Ed25519 JWK with its private part
                .clock(clock).random(random)
                .build();
        DeviceGrant grant = DeviceGrant.builder()
                .endpoints(Endpoints.of(URI.create("https://id.example.com"),
                        URI.create("https://id.example.com/device")))
                .codePolicy(CodePolicy.defaults().withMaxPendingPerClient(10))   // optional, as are polling and hooks
                .store(InMemoryDeviceAuthorizationStore.create())
                .attemptLimiter(new InMemoryAttemptLimiter())
                .clientRegistry(clients)
                .issuance(Issuance.by(jwt))
                .userCodeKey(userCodeKey)          // >= 32 secret bytes, the same on every node
                .clock(clock).random(random)
                .build();

        // POST /oauth2/device_authorization (your adapter copies method, headers and body)
        DeviceGrantResponse codes = grant.deviceAuthorization(
                DeviceGrantRequest.form("client_id=living-room-tv&scope=openid"));
        // your verification page, after the user typed the code and logged in
        LookupResult found = grant.verification().lookup("default", typedUserCode(codes), "203.0.113.7");
        if (found instanceof LookupResult.Pending pending) {
            grant.verification().approve("default", pending.userCode(), "alice", Set.of("openid"), Map.of(), null);
        }
        // POST /oauth2/token with grant_type=urn:ietf:params:oauth:grant-type:device_code
        DeviceGrantResponse tokenResponse = grant.token(DeviceGrantRequest.form(
                "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=living-room-tv&device_code="
                        + deviceCode(codes)));
        // embed:end

        assertThat(codes.status()).isEqualTo(200);
        assertThat(found).isInstanceOf(LookupResult.Pending.class);
        assertThat(tokenResponse.status()).isEqualTo(200);
        assertThat(TestGrants.json(tokenResponse)).containsKeys("access_token", "id_token");
    }

    private static String typedUserCode(DeviceGrantResponse codes) {
        return ((String) TestGrants.json(codes).get("user_code")).toLowerCase(java.util.Locale.ROOT);
    }

    private static String deviceCode(DeviceGrantResponse codes) {
        return (String) TestGrants.json(codes).get("device_code");
    }
}
