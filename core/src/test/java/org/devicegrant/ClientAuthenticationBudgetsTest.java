package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.GrantStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.basic;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/**
 * Guessing client secrets (RFC 6749 §2.3.1) through the public endpoints, from one address, while
 * the real client works from another: failures are budgeted per source address and per (address,
 * client), never per client alone, so no attacker can lock a client out by failing in its name.
 * The clock stands still throughout: nothing here is served because a lockout ran out.
 */
class ClientAuthenticationBudgetsTest {

    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String ATTACKER = "203.0.113.66";
    private static final String OWNER = "198.51.100.7";
    private static final String CLIENT = "confidential";
    private static final String SECRET = "s3cret";

    private final TestGrants t = new TestGrants();

    private static DeviceGrantRequest from(String address, DeviceGrantRequest request) {
        return request.toBuilder().remoteAddress(address).build();
    }

    private static DeviceGrantRequest poll(String deviceCode) {
        return form("grant_type", DEVICE_GRANT, "device_code", deviceCode);
    }

    private static String description(DeviceGrantResponse response) {
        return (String) json(response).get("error_description");
    }

    private static boolean throttled(DeviceGrantResponse response) {
        return response.status() == 401 && "invalid_client".equals(error(response))
                && description(response).contains("too many failed client authentications");
    }

    private static boolean refusedAsWrong(DeviceGrantResponse response) {
        return response.status() == 401 && "invalid_client".equals(error(response))
                && description(response).equals("client authentication failed");
    }

    /** The owner's device, from its own address: a device code its user has approved. */
    private String approvedDeviceCode(DeviceGrant grant) {
        DeviceGrantResponse authorization = grant.deviceAuthorization(
                from(OWNER, basic(form("scope", "openid"), CLIENT, SECRET)));
        assertThat(authorization.status()).isEqualTo(200);
        Map<String, Object> body = json(authorization);
        assertThat(grant.verification().approve(TENANT, (String) body.get("user_code"), "alice", Set.of("openid"),
                Map.of(), t.clock.instant())).isInstanceOf(DecisionResult.Recorded.class);
        return (String) body.get("device_code");
    }

    /** How an attack's requests were answered: refused after the check, or throttled before it. */
    private record Tally(int refused, int throttled) {
    }

    /** Sends {@code count} requests, each {@code request.apply(i)}, to {@code endpoint}; each must be refused. */
    private static Tally attack(int count, IntFunction<DeviceGrantRequest> request,
            Function<DeviceGrantRequest, DeviceGrantResponse> endpoint) {
        int refused = 0;
        int throttled = 0;
        for (int i = 0; i < count; i++) {
            DeviceGrantResponse response = endpoint.apply(request.apply(i));
            assertThat(refusedAsWrong(response) || throttled(response)).as("attempt %d: %s", i, response.body())
                    .isTrue();
            refused += refusedAsWrong(response) ? 1 : 0;
            throttled += throttled(response) ? 1 : 0;
        }
        return new Tally(refused, throttled);
    }

    private static void assertTokens(DeviceGrantResponse response) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        assertThat(json(response)).containsKey("access_token");
    }

    @Test
    void O05_wrongSecretsUnderMadeUpClientIdsFromOneAddressNeverLockOutARealClient() {
        // RFC 6749 §2.3.1: the authorization server MUST protect any endpoint utilizing password
        // authentication from brute force attacks; here without handing the attacker every client
        DeviceGrant grant = t.grant();
        String deviceCode = approvedDeviceCode(grant);

        Tally tally = attack(150, i -> from(ATTACKER, basic(poll("made-up-code-" + i), "made-up-client-" + i,
                "guess-" + i)), grant::token);

        assertThat(tally.refused()).as("evaluated: the address's budget across client ids, 100 a minute")
                .isEqualTo(100);
        assertThat(tally.throttled()).as("then the address is throttled, whichever client id it names").isEqualTo(50);
        assertTokens(grant.token(from(OWNER, basic(poll(deviceCode), CLIENT, SECRET))));
    }

    @Test
    void O05_fiftyWrongSecretsForAChosenClientNeverLockOutItsOwnerOnAnotherAddress() {
        // RFC 6749 §2.3.1: brute force is met by throttling the guessing address, not the client it names
        DeviceGrant grant = t.grant();
        String deviceCode = approvedDeviceCode(grant);

        Tally tally = attack(50, i -> from(ATTACKER, basic(poll(deviceCode), CLIENT, "guess-" + i)), grant::token);

        assertThat(tally.refused()).as("evaluated: 5 a minute for one client from one address").isEqualTo(5);
        assertThat(tally.throttled()).isEqualTo(45);
        assertTokens(grant.token(from(OWNER, basic(poll(deviceCode), CLIENT, SECRET))));
    }

    @Test
    void O05_aThrottledAddressIsRefusedEvenTheRightSecretWhileTheOwnersOtherAddressIsServed() {
        // RFC 6749 §2.3.1: a throttled address is refused without checking what it sends, so that the
        // throttle never tells a guesser which guess was right
        DeviceGrant grant = t.grant();
        String deviceCode = approvedDeviceCode(grant);
        for (int i = 0; i < 5; i++) {
            assertThat(refusedAsWrong(grant.token(from(ATTACKER, basic(poll(deviceCode), CLIENT, "guess-" + i)))))
                    .isTrue();
        }

        assertThat(throttled(grant.token(from(ATTACKER, basic(poll(deviceCode), CLIENT, SECRET)))))
                .as("the right secret from the throttled address").isTrue();
        assertThat(grant.deviceAuthorization(from(OWNER, basic(form(), CLIENT, SECRET))).status())
                .as("the owner's other address").isEqualTo(200);

        t.advance(Duration.ofSeconds(60));
        assertTokens(grant.token(from(ATTACKER, basic(poll(deviceCode), CLIENT, SECRET))));
    }

    @Test
    void O05_V01_wrongSecretsAtTheRevocationEndpointNeverStopTheOwnerRevoking() {
        // RFC 7009 §2.1: the revocation endpoint authenticates clients as the token endpoint does
        KeptGrants k = new KeptGrants();
        KeptGrants.Device device = k.redeem(CLIENT, "alice", "offline_access");

        Tally tally = attack(50, i -> from(ATTACKER, basic(form("token", device.refreshToken()), CLIENT,
                "guess-" + i)), k.grant::revocation);
        assertThat(tally.throttled()).isEqualTo(45);
        assertThat(k.stored(device.grantId()).status()).isEqualTo(GrantStatus.ACTIVE);

        DeviceGrantResponse owner = k.grant.revocation(from(OWNER,
                basic(form("token", device.refreshToken()), CLIENT, SECRET)));

        assertThat(owner.status()).isEqualTo(200);
        assertThat(k.stored(device.grantId()).status()).isEqualTo(GrantStatus.REVOKED);
    }

    @Test
    void O05_I01_wrongSecretsAtTheIntrospectionEndpointNeverStopTheResourceServer() {
        // RFC 7662 §2.1: the caller is authorized by client authentication, here a secret
        KeptGrants k = new KeptGrants();
        KeptGrants.Device device = k.redeem("tv", "alice", "offline_access");

        Tally tally = attack(50, i -> from(ATTACKER, basic(form("token", device.accessToken()), "resource-server",
                "guess-" + i)), k.grant::introspection);

        DeviceGrantResponse resourceServer = k.grant.introspection(from(OWNER,
                basic(form("token", device.accessToken()), "resource-server", "rs-s3cret")));

        assertThat(tally.throttled()).isEqualTo(45);
        assertThat(resourceServer.status()).isEqualTo(200);
        assertThat(json(resourceServer)).containsEntry("active", true);
    }

    @Test
    void O05_throttledAnswerIsInvalidClientNeverSlowDown() {
        // RFC 6749 §5.2: a failed client authentication is invalid_client (401 with the scheme the
        // client used); slow_down (RFC 8628 §3.5) is about polling, not about credentials
        DeviceGrant grant = t.grant();
        DeviceGrantResponse last = null;
        for (int i = 0; i < 6; i++) {
            last = grant.deviceAuthorization(from(ATTACKER, basic(form(), CLIENT, "guess-" + i)));
        }

        assertThat(throttled(last)).isTrue();
        assertThat(last.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(last.body()).doesNotContain("slow_down");
    }
}
