package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.devicegrant.DeviceGrant;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What one {@code authorization_pending} poll costs on the wire (issue 5: "one statement and one
 * round trip per operation"). A poll is a read and a compare-and-set (DESIGN.md "The flow"), so
 * it is two store operations; each must be one statement or Redis command and one round trip,
 * two of each per poll. Counted on a store with one connection of its own and no pool (so no
 * validation queries), through a {@link org.devicegrant.storage.tck.LoopbackProxy} that counts
 * request/response exchanges, after one warm-up poll has prepared statements and loaded the
 * Lua scripts.
 */
class RoundTripsPerPollTest {

    private static final CodeHasher HASHER = new CodeHasher(Cluster.USER_CODE_KEY);

    static Backend[] servers() {
        return Backend.servers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    @DisplayName("an authorization_pending poll is two store operations: one read, one compare-and-set, one round trip each")
    void pollWhenPendingThenOneReadAndOneCompareAndSetEachOneRoundTrip(Backend backend) throws Exception {
        MutableClock clock = new MutableClock(Cluster.START);
        try (Backend.Deployment deployment = backend.deploy(clock)) {
            Backend.Counted counted = deployment.counted();
            DeviceGrant node = Cluster.engine(counted.store(), new InMemoryAttemptLimiter(), Cluster.clients(), clock);
            Cluster.Issued issued = Cluster.authorize(node);
            assertThat(Cluster.outcome(Cluster.poll(node, issued))).isEqualTo("authorization_pending");
            clock.advance(Duration.ofSeconds(5));

            int sentBefore = counted.sent().size();
            long roundTripsBefore = deployment.proxy().roundTrips();
            assertThat(Cluster.outcome(Cluster.poll(node, issued))).isEqualTo("authorization_pending");
            List<String> sent = new ArrayList<>(counted.sent().subList(sentBefore, counted.sent().size()));
            long roundTrips = deployment.proxy().roundTrips() - roundTripsBefore;

            System.out.println("[devicegrant-integration] " + backend + ": one authorization_pending poll = "
                    + sent.size() + " statements/commands " + sent + ", " + roundTrips + " round trips");
            assertThat(sent).as("%s: the read, then the compare-and-set", backend).hasSize(2);
            assertThat(sent.get(1)).as("%s: the compare-and-set", backend).isIn("UPDATE", "EVALSHA");
            assertThat(deployment.truth().findByDeviceCodeHash(Cluster.TENANT, HASHER.deviceCodeHash(issued.deviceCode())))
                    .as("%s: the compare-and-set recorded the poll", backend)
                    .hasValueSatisfying(r -> assertThat(r.lastPolledAt()).isEqualTo(clock.instant()));
            assertThat(roundTrips).as("%s: round trips of one poll", backend).isEqualTo(expectedRoundTrips(backend));
        }
    }

    /**
     * Two everywhere but H2 in server mode, whose client protocol sends a prepare and then an
     * execute for every statement: two round trips per statement, which the dialect does not let
     * the store avoid (embedded H2 has no wire at all).
     */
    private static long expectedRoundTrips(Backend backend) {
        return backend == Backend.H2 ? 4 : 2;
    }
}
