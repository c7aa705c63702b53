package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.devicegrant.storage.AuthorizationStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SECURITY-TESTS row 1 (double redemption, REQ-RL-1) on two nodes over one backend: each poll
 * is a read and a compare-and-set, and an approved record moves to CONSUMED before tokens are
 * issued, so of all the polls of one code exactly one gets tokens, whichever node serves it.
 * Full numbers on every backend: 200 codes × 64 threads, and 10,000 polls of one stress code.
 */
class MultiNodeRedemptionTest {

    private static final int CODES = 200;
    private static final int THREADS_PER_CODE = 64;
    private static final int STRESS_POLLS = 10_000;
    private static final int STRESS_THREADS = 16;
    private static final long WAIT_SECONDS = 60;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    @DisplayName("SECURITY-TESTS row 1: 200 approved codes, 64 threads over 2 nodes each: exactly one token response per code")
    void pollWhenSixtyFourThreadsOverTwoNodesRaceThenExactlyOneTokenResponsePerCode(Backend backend) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS_PER_CODE);
        try (Cluster cluster = Cluster.start(backend, Backend.NodeSettings.RACE)) {
            for (int code = 0; code < CODES; code++) {
                Cluster.Issued issued = Cluster.authorize(cluster.node(code));
                Cluster.approve(cluster.node(code + 1), issued);

                List<String> outcomes = Cluster.race(threads, THREADS_PER_CODE,
                        i -> Cluster.outcome(Cluster.poll(cluster.node(i), issued)));

                Map<String, Long> counts = outcomes.stream()
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                assertThat(counts.get("tokens")).as("%s code %d: token responses in %s", backend, code, counts)
                        .isEqualTo(1L);
                assertThat(counts.keySet()).as("%s code %d", backend, code)
                        .isSubsetOf("tokens", "invalid_grant", "slow_down").doesNotContain("server_error");
                assertThat(cluster.record(issued).status()).isEqualTo(AuthorizationStatus.CONSUMED);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    @DisplayName("SECURITY-TESTS row 1: one stress code polled 10,000 times over 2 nodes by 16 threads: exactly one token response")
    void pollWhenTenThousandPollsOverTwoNodesThenExactlyOneTokenResponse(Backend backend) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(STRESS_THREADS);
        try (Cluster cluster = Cluster.start(backend, Backend.NodeSettings.RACE)) {
            Cluster.Issued issued = Cluster.authorize(cluster.nodeA);
            Cluster.approve(cluster.nodeB, issued);

            List<Future<String>> polls = new ArrayList<>();
            for (int i = 0; i < STRESS_POLLS; i++) {
                int node = i;
                polls.add(threads.submit(() -> Cluster.outcome(Cluster.poll(cluster.node(node), issued))));
            }
            Map<String, Long> counts = new java.util.TreeMap<>();
            for (Future<String> poll : polls) {
                counts.merge(poll.get(WAIT_SECONDS, TimeUnit.SECONDS), 1L, Long::sum);
            }

            assertThat(counts.get("tokens")).as("%s: %s", backend, counts).isEqualTo(1L);
            assertThat(counts.keySet()).isSubsetOf("tokens", "invalid_grant", "slow_down");
            assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(STRESS_POLLS);
        } finally {
            threads.shutdownNow();
        }
    }
}
