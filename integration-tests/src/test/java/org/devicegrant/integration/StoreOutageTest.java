package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.devicegrant.DeviceGrant;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AuthorizationStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SECURITY-TESTS row 24 (store down, REQ-RL-3) on two nodes: the backend goes away in the
 * middle of the flow, cut by a {@link org.devicegrant.storage.tck.LoopbackProxy} between the
 * nodes' clients and the server. The truth is read through a direct client the cut does not
 * touch. Node pools wait at most 1 s for a connection and Redis commands time out after 1 s,
 * so every call during the cut fails fast.
 */
class StoreOutageTest {

    static Backend[] servers() {
        return Backend.servers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    @DisplayName("SECURITY-TESTS row 24: polls during the cut are server_error with 0 tokens and 0 state changes; after restore the code redeems exactly once")
    void pollWhenBackendCutThenServerErrorNothingChangesAndAfterRestoreTokensExactlyOnce(Backend backend)
            throws Exception {
        try (Cluster cluster = Cluster.start(backend, Backend.NodeSettings.FAULT)) {
            Cluster.Issued issued = Cluster.authorize(cluster.nodeA);
            Cluster.approve(cluster.nodeB, issued);
            List<String> before = cluster.deployment.snapshot();
            assertThat(before).isNotEmpty();

            cluster.deployment.proxy().cut();
            for (int poll = 0; poll < 4; poll++) {
                DeviceGrantResponse response = Cluster.poll(cluster.node(poll), issued);
                assertThat(response.status()).as("%s poll %d during the cut", backend, poll).isEqualTo(500);
                assertThat(Cluster.outcome(response)).isEqualTo("server_error");
                assertThat(response.body()).doesNotContain("access_token").doesNotContain("Exception")
                        .doesNotContain(issued.deviceCode());
                cluster.clock.advance(Duration.ofSeconds(5));
            }
            assertThat(cluster.deployment.snapshot()).as("0 state changes during the cut").isEqualTo(before);
            assertThat(cluster.record(issued).status()).isEqualTo(AuthorizationStatus.APPROVED);

            cluster.deployment.proxy().restore();
            cluster.awaitNodesRecovered();

            cluster.clock.advance(Duration.ofSeconds(5));
            assertThat(Cluster.outcome(Cluster.poll(cluster.nodeB, issued))).isEqualTo("tokens");
            assertThat(cluster.record(issued).status()).isEqualTo(AuthorizationStatus.CONSUMED);
            for (DeviceGrant node : List.of(cluster.nodeA, cluster.nodeB)) {
                cluster.clock.advance(Duration.ofSeconds(5));
                assertThat(Cluster.outcome(Cluster.poll(node, issued))).as("replay after the redemption")
                        .isEqualTo("invalid_grant");
            }
            assertThat(cluster.storesA.activeConnections().getAsInt()).as("connections leaked by node A").isZero();
            assertThat(cluster.storesB.activeConnections().getAsInt()).as("connections leaked by node B").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    @DisplayName("SECURITY-TESTS row 24: a device authorization during the cut is server_error and stores nothing")
    void deviceAuthorizationWhenBackendCutThenServerErrorAndNothingStored(Backend backend) throws Exception {
        try (Cluster cluster = Cluster.start(backend, Backend.NodeSettings.FAULT)) {
            Cluster.authorize(cluster.nodeB);
            List<String> before = cluster.deployment.snapshot();

            cluster.deployment.proxy().cut();
            for (DeviceGrant node : List.of(cluster.nodeA, cluster.nodeB)) {
                DeviceGrantResponse response = node.deviceAuthorization(Cluster.form("client_id", Cluster.CLIENT_ID));
                assertThat(response.status()).as("%s during the cut", backend).isEqualTo(500);
                assertThat(Cluster.outcome(response)).isEqualTo("server_error");
                assertThat(response.body()).doesNotContain("device_code").doesNotContain("user_code");
            }
            assertThat(cluster.deployment.snapshot()).as("nothing stored during the cut").isEqualTo(before);

            cluster.deployment.proxy().restore();
            cluster.awaitNodesRecovered();
            Cluster.authorize(cluster.nodeA);
            assertThat(cluster.deployment.snapshot()).hasSizeGreaterThan(before.size());
        }
    }
}
