package org.devicegrant;

import org.devicegrant.http.DeviceGrantResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.authorize;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.poll;

/** Races that must have exactly one winner, against the in-memory store (SECURITY-TESTS rows 1 and 7). */
class ConcurrencyTest {

    private static final int THREADS = 64;

    @Test
    void O16_concurrentPollsOfAnApprovedCodeGetExactlyOneTokenResponse() throws Exception {
        // SECURITY-TESTS row 1: 200 approved codes, 64 threads over two nodes each → exactly one token
        // response per code; all others invalid_grant or slow_down; no server_error
        TestGrants t = new TestGrants();
        DeviceGrant nodeA = t.grant(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerClient(1000)));
        DeviceGrant nodeB = t.grant(b -> b.codePolicy(CodePolicy.defaults().withMaxPendingPerClient(1000)));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int code = 0; code < 200; code++) {
                TestGrants.Issued issued = authorize(nodeA, "tv", null);
                nodeB.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null);
                List<DeviceGrantResponse> responses = race(pool, i -> poll(i % 2 == 0 ? nodeA : nodeB, "tv",
                        issued.deviceCode()));
                assertThat(responses).filteredOn(r -> r.status() == 200).as("code %d", code).hasSize(1);
                assertThat(responses).filteredOn(r -> r.status() != 200)
                        .allSatisfy(r -> assertThat(error(r)).isIn("invalid_grant", "slow_down"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stressCodeGetsOneTokenResponseOutOfTenThousandPolls() throws Exception {
        TestGrants t = new TestGrants();
        DeviceGrant nodeA = t.grant();
        DeviceGrant nodeB = t.grant();
        TestGrants.Issued issued = authorize(nodeA, "tv", null);
        nodeA.verification().approve(TENANT, issued.userCode(), "alice", Set.of(), Map.of(), null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DeviceGrantResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                DeviceGrant node = i % 2 == 0 ? nodeA : nodeB;
                futures.add(pool.submit(() -> poll(node, "tv", issued.deviceCode())));
            }
            int tokens = 0;
            for (Future<DeviceGrantResponse> f : futures) {
                DeviceGrantResponse r = f.get(30, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    tokens++;
                } else {
                    assertThat(error(r)).isIn("invalid_grant", "slow_down");
                }
            }
            assertThat(tokens).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoUsersApprovingTheSameCodeAtOnceHaveExactlyOneWinner() throws Exception {
        // SECURITY-TESTS row 7: exactly one approver per code; the token's sub is the winner's
        TestGrants t = new TestGrants();
        DeviceGrant grant = t.grant();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 1000; i++) {
                TestGrants.Issued issued = authorize(grant, "tv", null);
                List<DecisionResult> results = race(pool, 2, u -> grant.verification()
                        .approve(TENANT, issued.userCode(), u == 0 ? "u1" : "u2", Set.of(), Map.of(), null));
                assertThat(results).filteredOn(r -> r instanceof DecisionResult.Recorded).hasSize(1);
                assertThat(results).filteredOn(r -> r instanceof DecisionResult.AlreadyUsed).hasSize(1);
                String winner = results.get(0) instanceof DecisionResult.Recorded ? "u1" : "u2";
                Map<String, Object> body = TestGrants.json(poll(grant, "tv", issued.deviceCode()));
                String sub = com.nimbusds.jwt.SignedJWT.parse((String) body.get("access_token")).getJWTClaimsSet()
                        .getSubject();
                assertThat(sub).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface Task<T> {
        T run(int index) throws Exception;
    }

    private static <T> List<T> race(ExecutorService pool, Task<T> task) throws Exception {
        return race(pool, THREADS, task);
    }

    /** Runs {@code n} tasks released together by one start gate. */
    static <T> List<T> race(ExecutorService pool, int n, Task<T> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Callable<T> c = () -> {
                ready.countDown();
                go.await();
                return task.run(index);
            };
            futures.add(pool.submit(c));
        }
        ready.await(10, TimeUnit.SECONDS);
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }
}
