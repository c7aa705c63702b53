package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.devicegrant.DeviceGrant;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9700 §4.14.2 (refresh-token rotation with reuse detection) on two nodes over one backend:
 * a refresh signs the new tokens, then one compare-and-set on the grant retires the presented
 * refresh token and makes the new one current, so of all concurrent presentations of one refresh
 * token exactly one gets a new refresh token, whichever node serves it, and none gets
 * {@code server_error}. The others presented a token that is now retired, and what that does to
 * the grant is {@link org.devicegrant.Issuance}'s documented choice, asserted exactly: strict (no
 * reuse grace, the default) revokes the grant, so the winner's new token is refused too; with a
 * reuse grace they get {@code invalid_grant} and the grant lives on with the winner's token.
 *
 * <p>Each round: a device code is authorized on one node, approved with {@code offline_access} on
 * the other and redeemed (a grant with its first refresh token), then {@value #THREADS_PER_TOKEN}
 * threads, alternating between the nodes, present that refresh token at once. The default is
 * {@value #DEFAULT_GRANTS} grants per backend and policy, sized for about 20 s per backend (both
 * policies) on 2 cores: on a 2-core machine busy with other builds (load average 12–16) it took
 * 4 s in memory, 10–18 s on H2, MariaDB and Redis, and 30 s on PostgreSQL. The full run, 200
 * grants, is about four times that:
 * {@code mvn -pl integration-tests -am verify -Dtest=MultiNodeRefreshTest -Ddevicegrant.refreshRace.grants=200
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MultiNodeRefreshTest {

    /** The number of grants raced per backend and policy: {@code -Ddevicegrant.refreshRace.grants=200} for the full run. */
    static final String GRANTS_PROPERTY = "devicegrant.refreshRace.grants";
    private static final int DEFAULT_GRANTS = 50;
    private static final int GRANTS = Integer.getInteger(GRANTS_PROPERTY, DEFAULT_GRANTS);
    private static final int THREADS_PER_TOKEN = 64;
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Set<String> SCOPES = Set.of("openid", "offline_access");
    private static final CodeHasher HASHER = new CodeHasher(Cluster.USER_CODE_KEY);

    /** Every backend under both reuse policies. */
    static Stream<Arguments> backendsAndPolicies() {
        return Stream.of(Backend.values()).flatMap(backend -> Stream.of(
                Arguments.of(backend, Duration.ZERO), Arguments.of(backend, GRACE)));
    }

    @ParameterizedTest(name = "{0}, reuse grace {1}")
    @MethodSource("backendsAndPolicies")
    @DisplayName("RFC 9700 §4.14.2: 64 threads over 2 nodes present one refresh token: exactly one new refresh token, "
            + "the others invalid_grant, no server_error; strict revokes the grant, a grace keeps it")
    void refreshWhenSixtyFourThreadsOverTwoNodesPresentOneTokenThenExactlyOneNewRefreshToken(Backend backend,
            Duration reuseGrace) throws Exception {
        boolean strict = reuseGrace.isZero();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS_PER_TOKEN);
        try (Cluster cluster = Cluster.startKeepingGrants(backend, Backend.NodeSettings.RACE, reuseGrace)) {
            for (int round = 0; round < GRANTS; round++) {
                String label = backend + ", grace " + reuseGrace + ", grant " + round;
                Cluster.Issued issued = Cluster.authorize(cluster.node(round), "openid offline_access");
                Cluster.approve(cluster.node(round + 1), issued, SCOPES);
                String presented = refreshToken(Cluster.poll(cluster.node(round), issued), label);

                List<DeviceGrantResponse> responses = Cluster.race(threads, THREADS_PER_TOKEN,
                        i -> Cluster.refresh(cluster.node(i), presented));

                Map<String, Long> counts = new TreeMap<>();
                responses.forEach(response -> counts.merge(outcome(response, presented), 1L, Long::sum));
                assertThat(counts).as("%s: outcomes", label)
                        .isEqualTo(Map.of("new refresh token", 1L, "invalid_grant", THREADS_PER_TOKEN - 1L));
                String winner = responses.stream().filter(response -> response.status() == 200)
                        .map(response -> refreshToken(response, label)).findFirst().orElseThrow();

                Grant stored = cluster.grant(issued);
                assertThat(stored.refreshTokenHash()).as("%s: the winner's token is the grant's last", label)
                        .isEqualTo(HASHER.refreshTokenHash(winner));
                assertThat(cluster.deployment.truthGrants().findByRefreshTokenHash(Cluster.TENANT,
                        HASHER.refreshTokenHash(presented))).as("%s: the presented token is retired", label)
                        .hasValueSatisfying(match -> assertThat(match.current()).isFalse());
                DeviceGrant next = cluster.node(round + 1);
                if (strict) {
                    // Issuance: with no reuse grace, a retired token presented again revokes the grant
                    assertThat(stored.status()).as("%s", label).isEqualTo(GrantStatus.REVOKED);
                    assertThat(stored.version()).as("%s: one rotation, one revocation", label).isEqualTo(2);
                    assertThat(outcome(Cluster.refresh(next, winner), winner))
                            .as("%s: the winner's token after the revocation", label).isEqualTo("invalid_grant");
                } else {
                    // Issuance: within the reuse grace, a retired token is refused and the grant kept
                    assertThat(stored.status()).as("%s", label).isEqualTo(GrantStatus.ACTIVE);
                    assertThat(stored.version()).as("%s: one rotation", label).isEqualTo(1);
                    assertThat(outcome(Cluster.refresh(next, winner), winner))
                            .as("%s: the winner's token refreshes", label).isEqualTo("new refresh token");
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** "new refresh token" for a 200 that rotated {@code presented}; else the OAuth error code. */
    private static String outcome(DeviceGrantResponse response, String presented) {
        Map<String, Object> body = Cluster.json(response);
        if (response.status() != 200) {
            return String.valueOf(body.get("error"));
        }
        Object issued = body.get("refresh_token");
        return issued instanceof String token && !token.equals(presented) && body.get("access_token") instanceof String
                ? "new refresh token" : "200 without a new refresh token";
    }

    private static String refreshToken(DeviceGrantResponse response, String label) {
        Map<String, Object> body = Cluster.json(response);
        assertThat(response.status()).as("%s: %s", label, body.get("error")).isEqualTo(200);
        assertThat(body.get("refresh_token")).as("%s: a refresh token", label).isInstanceOf(String.class);
        return (String) body.get("refresh_token");
    }
}
