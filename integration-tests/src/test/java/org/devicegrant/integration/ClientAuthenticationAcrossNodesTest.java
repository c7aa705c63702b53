package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.devicegrant.DecisionResult;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client-secret budgets (RFC 6749 §2.3.1) on a shared attempt limiter: the budgets of one source
 * address are exact across nodes, and an address spending them never refuses the real client at
 * another address. The cluster's clock stands still.
 */
class ClientAuthenticationAcrossNodesTest {

    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String OWNER = "198.51.100.7";
    private static final String GUESSER = "203.0.113.66";
    private static final String SPRAYER = "203.0.113.99";

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    @DisplayName("O05: guesses over two nodes meet one budget per address, and the owner's other address gets tokens")
    void tokenWhenAddressesGuessOverTwoNodesThenBudgetsAreExactAndTheOwnerIsServed(Backend backend) throws Exception {
        try (Cluster cluster = Cluster.start(backend, Backend.NodeSettings.RACE)) {
            String deviceCode = approvedDeviceCode(cluster);

            int evaluated = 0;
            for (int i = 0; i < 50; i++) {
                evaluated += wrong(cluster.node(i).token(from(GUESSER,
                        basic(poll(deviceCode), Cluster.CONFIDENTIAL_ID, "guess-" + i)))) ? 1 : 0;
            }
            assertThat(evaluated).as("%s: one address, one client: 5 a minute cluster-wide", backend).isEqualTo(5);

            evaluated = 0;
            for (int i = 0; i < 150; i++) {
                evaluated += wrong(cluster.node(i).token(from(SPRAYER,
                        basic(poll(deviceCode), "made-up-" + i, "guess-" + i)))) ? 1 : 0;
            }
            assertThat(evaluated).as("%s: one address, made-up clients: 100 a minute cluster-wide", backend)
                    .isEqualTo(100);

            DeviceGrantResponse owner = cluster.nodeB.token(from(OWNER,
                    basic(poll(deviceCode), Cluster.CONFIDENTIAL_ID, Cluster.CONFIDENTIAL_SECRET)));
            assertThat(Cluster.outcome(owner)).as("%s", backend).isEqualTo("tokens");
        }
    }

    private static String approvedDeviceCode(Cluster cluster) {
        DeviceGrantResponse response = cluster.nodeA.deviceAuthorization(from(OWNER,
                basic(Cluster.form("scope", "openid"), Cluster.CONFIDENTIAL_ID, Cluster.CONFIDENTIAL_SECRET)));
        Map<String, Object> body = Cluster.json(response);
        assertThat(response.status()).isEqualTo(200);
        assertThat(cluster.nodeB.verification().approve(Cluster.TENANT, (String) body.get("user_code"), "alice",
                Set.of("openid"), Map.of(), null)).isInstanceOf(DecisionResult.Recorded.class);
        return (String) body.get("device_code");
    }

    /** Refused after checking the secret; a throttled address is refused before. */
    private static boolean wrong(DeviceGrantResponse response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(Cluster.outcome(response)).isEqualTo("invalid_client");
        return "client authentication failed".equals(Cluster.json(response).get("error_description"));
    }

    private static DeviceGrantRequest poll(String deviceCode) {
        return Cluster.form("grant_type", DEVICE_GRANT, "device_code", deviceCode);
    }

    private static DeviceGrantRequest from(String address, DeviceGrantRequest request) {
        return request.toBuilder().remoteAddress(address).build();
    }

    private static DeviceGrantRequest basic(DeviceGrantRequest request, String clientId, String secret) {
        String credentials = Base64.getEncoder().encodeToString((clientId + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        return request.toBuilder().header("Authorization", "Basic " + credentials).build();
    }
}
