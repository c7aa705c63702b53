package org.devicegrant;

import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;
import static org.devicegrant.TestGrants.refresh;

/**
 * The whole life of a grant through the public API, from redemption to revocation: what a user who
 * unlinks a device, or a device that revokes its own token, sees afterwards at the token endpoint and
 * at a resource server that introspects.
 */
class GrantLifeTest {

    private static final Set<String> OFFLINE = Set.of("openid", "offline_access");

    private final TestGrants t = new TestGrants();
    private final DeviceGrant grant = t.withGrants();

    @Test
    void unlinkRevokesTheGrantSoTheNextRefreshIsInvalidGrantAndItsAccessTokenIsInactive() {
        Map<String, Object> tokens = t.redeem(grant, "tv", "alice", OFFLINE, null);
        String refreshToken = (String) tokens.get("refresh_token");
        String accessToken = (String) tokens.get("access_token");
        assertThat(json(introspect(accessToken))).containsEntry("active", true);
        List<String> linked = grant.linkedDevices().list(TENANT, "alice").stream()
                .map(d -> d.authorizationId()).toList();
        assertThat(linked).hasSize(1);

        assertThat(grant.linkedDevices().unlink(TENANT, "alice", linked.get(0))).isTrue();

        // RFC 6749 §6 and RFC 9700 §4.14.2: a revoked grant's refresh token no longer refreshes
        assertThat(error(refresh(grant, "tv", refreshToken))).isEqualTo("invalid_grant");
        // RFC 7662 §2.2: a token of a revoked grant is inactive, and nothing else is said of it
        assertThat(json(introspect(accessToken))).isEqualTo(Map.of("active", false));
        assertThat(grant.linkedDevices().list(TENANT, "alice")).isEmpty();
    }

    @Test
    void theDeviceRevokingItsRefreshTokenEndsTheRefreshesAndTheAccessTokens() {
        Map<String, Object> tokens = t.redeem(grant, "tv", "alice", OFFLINE, null);
        String refreshToken = (String) tokens.get("refresh_token");
        String accessToken = (String) tokens.get("access_token");

        // RFC 7009 §2.2: 200 once the token is revoked
        DeviceGrantResponse revoked = grant.revocation(form("client_id", "tv", "token", refreshToken,
                "token_type_hint", "refresh_token"));
        assertThat(revoked.status()).isEqualTo(200);

        assertThat(error(refresh(grant, "tv", refreshToken))).isEqualTo("invalid_grant");
        assertThat(json(introspect(accessToken))).isEqualTo(Map.of("active", false));
    }

    @Test
    void aRefreshedGrantStaysOneLinkedDeviceAndItsNewAccessTokenIsActive() {
        Map<String, Object> tokens = t.redeem(grant, "tv", "alice", OFFLINE, null);
        Map<String, Object> refreshed = json(refresh(grant, "tv", (String) tokens.get("refresh_token")));

        assertThat(json(introspect((String) refreshed.get("access_token")))).containsEntry("active", true)
                .containsEntry("sub", "alice").containsEntry("client_id", "tv");
        assertThat(grant.linkedDevices().list(TENANT, "alice")).hasSize(1);
    }

    private DeviceGrantResponse introspect(String token) {
        return grant.introspection(basic(form("token", token), "resource-server", "rs-s3cret"));
    }
}
