package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.inmemory.InMemoryGrantStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

/** The revocation endpoint, RFC 7009. */
class RevocationEndpointTest {

    private final KeptGrants k = new KeptGrants();

    private void assertRevoked(String grantId) {
        assertThat(k.stored(grantId).status()).isEqualTo(GrantStatus.REVOKED);
        assertThat(k.stored(grantId).revokedAt()).isEqualTo(k.t.clock.instant());
    }

    private void assertActive(String grantId) {
        assertThat(k.stored(grantId).status()).isEqualTo(GrantStatus.ACTIVE);
    }

    private static void assertOk(DeviceGrantResponse response) {
        // RFC 7009 §2.2: "The authorization server responds with HTTP status code 200"
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    @Test
    void V01_V02_refreshTokenOfAPublicClientRevokesItsGrantAndEveryTokenOfIt() {
        // RFC 7009 §2.1: a public client identifies itself by client_id; revoking a refresh token
        // revokes the grant, and (V02) "SHOULD also invalidate all access tokens based on the same grant"
        KeptGrants.Device device = k.redeem("tv", "alice", "openid", "offline_access");
        assertThat(k.active(device.accessToken())).isTrue();

        assertOk(k.revoke("tv", device.refreshToken(), "refresh_token"));

        assertRevoked(device.grantId());
        assertThat(k.active(device.accessToken())).isFalse();
        assertThat(k.active(device.refreshToken())).isFalse();
        assertThat(k.events).filteredOn(e -> e.type() == DeviceGrantEvent.Type.GRANT_REVOKED).singleElement()
                .satisfies(e -> {
                    assertThat(e.authorizationId()).isEqualTo(device.grantId());
                    assertThat(e.clientId()).isEqualTo("tv");
                    assertThat(e.detail()).contains("refresh_token").doesNotContain(device.refreshToken());
                });
    }

    @Test
    void V01_retiredRefreshTokenStillRevokesItsGrant() {
        // RFC 7009 §2.1: the token's grant is revoked, whichever of its refresh tokens is presented
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        String newest = k.rotate(device);

        assertOk(k.revoke("tv", device.refreshToken(), null));

        assertRevoked(device.grantId());
        assertThat(k.active(newest)).isFalse();
    }

    @Test
    void V01_accessTokenRevokesTheGrantItNamesForAConfidentialClient() {
        // RFC 7009 §2.1: a confidential client authenticates as at the token endpoint (here Basic)
        KeptGrants.Device device = k.redeem("confidential", "alice", "offline_access");

        assertOk(k.grant.revocation(basic(form("token", device.accessToken(), "token_type_hint", "access_token"),
                "confidential", "s3cret")));

        assertRevoked(device.grantId());
        assertThat(k.active(device.refreshToken())).isFalse();
        assertThat(k.active(device.accessToken())).isFalse();
    }

    @ParameterizedTest(name = "{0} with hint {1}")
    @CsvSource(nullValues = "none", value = {
            "refresh, refresh_token", "refresh, access_token", "refresh, id_token", "refresh, none",
            "access, refresh_token", "access, access_token", "access, id_token", "access, none"})
    void V01_hintIsTriedFirstThenTheOtherKindAndAnUnknownHintIsIgnored(String kind, String hint) {
        // RFC 7009 §2.1: "If the server is unable to locate the token using the given hint, it MUST
        // extend its search across all of its supported token types"
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");

        assertOk(k.revoke("tv", kind.equals("refresh") ? device.refreshToken() : device.accessToken(), hint));

        assertRevoked(device.grantId());
    }

    @Test
    void V01_anotherClientsTokenIsAnsweredLikeAnUnknownOneAndNothingChanges() {
        // RFC 7009 §2.1: the server verifies "whether the token was issued to the client making the
        // revocation request"; we answer 200 as for an invalid token (§2.2) so that nothing leaks
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");

        assertOk(k.revoke("other-tv", device.refreshToken(), null));
        assertOk(k.revoke("other-tv", device.accessToken(), null));
        assertOk(k.grant.revocation(basic(form("token", device.refreshToken()), "confidential", "s3cret")));

        assertActive(device.grantId());
        assertThat(k.active(device.refreshToken())).isTrue();
        assertThat(k.events).noneMatch(e -> e.type() == DeviceGrantEvent.Type.GRANT_REVOKED);
    }

    @Test
    void V03_unknownOrAlreadyRevokedTokensGet200() {
        // RFC 7009 §2.2: "invalid tokens do not cause an error response"
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");
        assertOk(k.revoke("tv", device.refreshToken(), null));
        k.t.advance(Duration.ofMinutes(1));

        assertOk(k.revoke("tv", device.refreshToken(), null));
        assertOk(k.revoke("tv", device.accessToken(), "access_token"));
        assertOk(k.revoke("tv", "no-such-token", null));

        assertThat(k.stored(device.grantId()).revokedAt()).isEqualTo(k.t.clock.instant().minus(Duration.ofMinutes(1)));
        assertThat(k.events).filteredOn(e -> e.type() == DeviceGrantEvent.Type.GRANT_REVOKED).hasSize(1);
    }

    @Test
    void V03_withoutGrantsKeptEveryTokenTypeIsUnsupported() {
        // RFC 7009 §2.2.1: unsupported_token_type, "the client tried to revoke an access token on a
        // server not supporting this feature"
        DeviceGrant withoutGrants = k.t.grant();

        DeviceGrantResponse response = withoutGrants.revocation(form("client_id", "tv", "token", "anything"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("unsupported_token_type");
    }

    @Test
    void V01_clientAuthenticationIsThatOfTheTokenEndpoint() {
        KeptGrants.Device device = k.redeem("confidential", "alice", "offline_access");

        DeviceGrantResponse wrongSecret = k.grant.revocation(basic(form("token", device.refreshToken()),
                "confidential", "wrong"));
        DeviceGrantResponse confidentialWithoutSecret = k.revoke("confidential", device.refreshToken(), null);
        DeviceGrantResponse unknownClient = k.revoke("nobody", device.refreshToken(), null);

        // RFC 6749 §5.2: invalid_client, 401 when the client tried the Authorization header
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(error(wrongSecret)).isEqualTo("invalid_client");
        assertThat(error(confidentialWithoutSecret)).isEqualTo("invalid_client");
        assertThat(error(unknownClient)).isEqualTo("invalid_client");
        assertActive(device.grantId());
    }

    @Test
    void V01_tokenIsRequiredAndTheMethodIsPost() {
        // RFC 7009 §2.1: token REQUIRED; the client sends an HTTP POST
        DeviceGrantResponse missing = k.grant.revocation(form("client_id", "tv"));
        DeviceGrantResponse get = k.grant.revocation(DeviceGrantRequest.builder().method("GET").build());

        assertThat(error(missing)).isEqualTo("invalid_request");
        assertThat(get.status()).isEqualTo(405);
    }

    @Test
    void V01_failingStoreIsServerErrorAndChangesNothing() {
        GrantStore store = spy(InMemoryGrantStore.create());
        KeptGrants failing = new KeptGrants(store, h -> h);
        KeptGrants.Device device = failing.redeem("tv", "alice", "offline_access");
        doThrow(new StoreUnavailableException("injected fault")).when(store).replace(anyLong(), any());

        DeviceGrantResponse response = failing.revoke("tv", device.refreshToken(), null);

        assertThat(response.status()).isEqualTo(500);
        assertThat(error(response)).isEqualTo("server_error");
        assertThat(failing.stored(device.grantId()).status()).isEqualTo(GrantStatus.ACTIVE);
    }
}
