package org.devicegrant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.token.JwtTokenIssuer;
import org.devicegrant.token.TokenIssuanceRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/** The introspection endpoint, RFC 7662. */
class IntrospectionEndpointTest {

    private final KeptGrants k = new KeptGrants();

    private static void assertInactive(DeviceGrantResponse response) {
        // RFC 7662 §2.2: for a token that is not active, "active" and nothing else
        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).containsExactly(Map.entry("active", false));
    }

    @Test
    void I01_onlyAuthenticatedClientsTheHostAllowsMayIntrospect() {
        // RFC 7662 §2.1: "the endpoint MUST also require some form of authorization to access this endpoint"
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");

        DeviceGrantResponse publicClient = k.grant.introspection(form("client_id", "tv", "token", device.accessToken()));
        DeviceGrantResponse nobody = k.grant.introspection(form("token", device.accessToken()));
        DeviceGrantResponse wrongSecret = k.grant.introspection(basic(form("token", device.accessToken()),
                "resource-server", "wrong"));
        DeviceGrantResponse notAllowed = k.grant.introspection(basic(form("token", device.accessToken()),
                "confidential", "s3cret"));
        DeviceGrantResponse allowed = k.introspect(device.accessToken());

        // a public client proves nothing: failed client authentication (RFC 6749 §5.2 invalid_client)
        assertThat(error(publicClient)).isEqualTo("invalid_client");
        assertThat(publicClient.body()).doesNotContain("active");
        assertThat(error(nobody)).isEqualTo("invalid_client");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(error(wrongSecret)).isEqualTo("invalid_client");
        // authenticated, but the host has not allowed it: unauthorized_client
        assertThat(error(notAllowed)).isEqualTo("unauthorized_client");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(json(allowed)).containsEntry("active", true);
    }

    @Test
    void I01_tokenIsRequired() {
        // RFC 7662 §2.1: token REQUIRED
        DeviceGrantResponse missing = k.grant.introspection(basic(form("token_type_hint", "access_token"),
                "resource-server", "rs-s3cret"));
        assertThat(error(missing)).isEqualTo("invalid_request");
    }

    @Test
    void I03_activeAccessTokenTellsWhoWhatAndUntilWhen() {
        // RFC 7662 §2.2: active REQUIRED; scope, client_id, token_type, exp, iat, sub, iss OPTIONAL
        KeptGrants.Device device = k.redeem("tv", "alice", "openid", "offline_access");
        long now = k.t.clock.instant().getEpochSecond();

        Map<String, Object> body = json(k.introspect(device.accessToken(), "access_token"));

        assertThat(body).containsEntry("active", true).containsEntry("sub", "alice").containsEntry("client_id", "tv")
                .containsEntry("scope", "offline_access openid").containsEntry("token_type", "Bearer")
                .containsEntry("iss", TestGrants.ISSUER.toString()).containsEntry("grant_id", device.grantId());
        assertThat(((Number) body.get("iat")).longValue()).isEqualTo(now);
        assertThat(((Number) body.get("exp")).longValue()).isEqualTo(now + Duration.ofMinutes(10).toSeconds());
    }

    @Test
    void I03_activeRefreshTokenTellsItsGrant() {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        long now = k.t.clock.instant().getEpochSecond();

        Map<String, Object> body = json(k.introspect(device.refreshToken()));

        assertThat(body).containsEntry("active", true).containsEntry("sub", "alice").containsEntry("client_id", "tv")
                .containsEntry("scope", "offline_access").containsEntry("grant_id", device.grantId())
                .doesNotContainKey("token_type");
        assertThat(((Number) body.get("exp")).longValue()).isEqualTo(now + KeptGrants.IDLE.toSeconds());
    }

    @Test
    void I02_unknownForgedOrOtherKindsOfTokensAreInactive() throws JOSEException {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        JwtTokenIssuer stranger = JwtTokenIssuer.builder().issuer(TestGrants.ISSUER)
                .signingKey(new ECKeyGenerator(Curve.P_256).keyID("test-es256").generate())
                .clock(k.t.clock).random(TestGrants.seeded(7)).build();
        String forged = stranger.issue(new TokenIssuanceRequest(TENANT, k.t.clients.find(TENANT, "tv").orElseThrow(),
                "alice", Set.of(), Map.of(), null, device.grantId(), k.t.clock.instant())).accessToken();

        String idToken = k.t.jwtIssuer.issue(new TokenIssuanceRequest(TENANT,
                k.t.clients.find(TENANT, "tv").orElseThrow(), "alice", Set.of("openid"), Map.of(), null,
                device.grantId(), k.t.clock.instant())).idToken();

        assertInactive(k.introspect("no-such-token"));
        assertInactive(k.introspect(forged));
        assertInactive(k.introspect(idToken));
        assertThat(k.active(device.accessToken())).isTrue();
    }

    @Test
    void I02_expiredAccessTokenIsInactiveThoughItsGrantLives() {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        k.t.advance(Duration.ofMinutes(10));

        assertInactive(k.introspect(device.accessToken()));
        assertThat(k.active(device.refreshToken())).isTrue();
    }

    @Test
    void I02_tokensOfARevokedGrantAreInactive() {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        k.revoke("tv", device.refreshToken(), null);

        assertInactive(k.introspect(device.accessToken()));
        assertInactive(k.introspect(device.refreshToken()));
    }

    @Test
    void I02_tokensOfALapsedGrantAreInactive() {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        k.t.advance(KeptGrants.IDLE);
        String lateAccessToken = k.accessToken("tv", "alice", device.grantId(), "offline_access");

        assertInactive(k.introspect(device.refreshToken()));
        assertInactive(k.introspect(lateAccessToken));
    }

    @Test
    void I02_aRetiredRefreshTokenIsInactiveAndIntrospectionRevokesNothing() {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        String newest = k.rotate(device);

        assertInactive(k.introspect(device.refreshToken()));
        assertThat(k.active(newest)).isTrue();
    }

    @Test
    void I02_anAccessTokenNamingNoKeptGrantIsInactive() {
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        String orphan = k.accessToken("tv", "alice", "grant-that-was-never-kept");
        String otherClients = k.accessToken("other-tv", "alice", device.grantId());

        assertInactive(k.introspect(orphan));
        assertInactive(k.introspect(otherClients));
    }

    @Test
    void I03_withoutGrantsKeptAnAccessTokenIsActiveWhileItsSignatureAndLifetimeHold() {
        DeviceGrant withoutGrants = k.t.grant();
        String accessToken = k.accessToken("tv", "alice", "some-authorization", "openid");

        Map<String, Object> body = json(withoutGrants.introspection(basic(form("token", accessToken),
                "resource-server", "rs-s3cret")));

        assertThat(body).containsEntry("active", true).containsEntry("sub", "alice");
        k.t.advance(Duration.ofMinutes(10));
        assertThat(json(withoutGrants.introspection(basic(form("token", accessToken), "resource-server", "rs-s3cret"))))
                .containsExactly(Map.entry("active", false));
    }

    @Test
    void I01_methodIsPost() {
        DeviceGrantResponse get = k.grant.introspection(DeviceGrantRequest.builder().method("GET").build());
        assertThat(get.status()).isEqualTo(405);
    }
}
