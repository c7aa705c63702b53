package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.redis.RedisTestSupport.START;
import static org.devicegrant.storage.tck.Fixtures.freshRefreshTokenHash;
import static org.devicegrant.storage.tck.Fixtures.grant;
import static org.devicegrant.storage.tck.Fixtures.rotated;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.storage.tck.Fixtures;
import org.devicegrant.storage.tck.GrantStoreContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grant store contract against Redis on 127.0.0.1:6379, plus what is particular to Redis:
 * TTLs renewed by rotation, purge with the index entries, key escaping, races over two
 * connections, the builder.
 */
class RedisGrantStoreTest extends GrantStoreContract {

    private static final Duration LIFETIME = Fixtures.GRANT_LIFETIME;

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> direct;

    private String prefix;
    private RedisGrantStore grants;

    @BeforeAll
    static void connect() {
        RedisTestSupport.requireRedis();
        client = RedisTestSupport.client();
        direct = client.connect();
    }

    @AfterAll
    static void disconnect() {
        if (direct != null) {
            direct.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @Override
    protected GrantStore createStore(MutableClock clock) {
        prefix = RedisTestSupport.randomPrefix();
        grants = RedisGrantStore.builder().connection(new RedisConnection(direct, prefix)).clock(clock).build();
        return grants;
    }

    @Override
    protected void closeStore(GrantStore store) {
        RedisTestSupport.deleteAll(direct, prefix);
    }

    @Test
    void createThenFindByIdAndByRefreshTokenHashReturnEveryFieldInItsTenantOnly() {
        Grant grant = grant("tenant-a", "user-1", START);

        grants.create(grant);

        assertThat(grants.findById("tenant-a", grant.id())).contains(grant);
        assertThat(grants.findByRefreshTokenHash("tenant-a", grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(grant, true));
        assertThat(grants.findById("tenant-b", grant.id())).isEmpty();
        assertThat(grants.findByRefreshTokenHash("tenant-b", grant.refreshTokenHash())).isEmpty();
        assertThat(grants.findByRefreshTokenHash("tenant-a", freshRefreshTokenHash())).isEmpty();
    }

    @Test
    void createWhenIdOrRefreshTokenHashExistsThenIllegalArgumentAndNothingWritten() {
        Grant original = grant("tenant-a", "user-1", START);
        grants.create(original);
        Grant sameId = grant("tenant-a", "user-2", START).toBuilder().id(original.id()).build();
        Grant sameHash = grant("tenant-a", "user-2", START).toBuilder()
                .refreshTokenHash(original.refreshTokenHash()).build();
        List<String> before = RedisTestSupport.dump(direct, prefix);

        assertThatThrownBy(() -> grants.create(sameId)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(original.id());
        assertThatThrownBy(() -> grants.create(sameHash)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(original.refreshTokenHash());

        assertThat(RedisTestSupport.dump(direct, prefix)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void createWithoutRefreshTokenThenFoundByIdAndListedAndRotationAddsTheFirstHash() {
        Grant grant = grant("tenant-a", "user-1", START).toBuilder().refreshTokenHash(null).build();
        grants.create(grant);
        Grant withToken = rotated(grant, START.plusSeconds(60));

        assertThat(grants.findById("tenant-a", grant.id())).contains(grant);
        assertThat(grants.listActive("tenant-a", "user-1", START)).containsExactly(grant);
        assertThat(grants.replace(0, withToken)).isTrue();
        assertThat(grants.findByRefreshTokenHash("tenant-a", withToken.refreshTokenHash()))
                .contains(new RefreshTokenMatch(withToken, true));
    }

    @Test
    void replaceWhenRotatedThenNewHashCurrentAndEveryOldHashRetired() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);
        Grant second = rotated(first, START.plus(Duration.ofHours(1)));
        Grant third = rotated(second, START.plus(Duration.ofHours(2)));

        assertThat(grants.replace(0, second)).isTrue();
        assertThat(grants.replace(1, third)).isTrue();

        assertThat(grants.findById("tenant-a", first.id())).contains(third);
        assertThat(grants.findByRefreshTokenHash("tenant-a", third.refreshTokenHash()))
                .contains(new RefreshTokenMatch(third, true));
        assertThat(grants.findByRefreshTokenHash("tenant-a", second.refreshTokenHash()))
                .contains(new RefreshTokenMatch(third, false));
        assertThat(grants.findByRefreshTokenHash("tenant-a", first.refreshTokenHash()))
                .contains(new RefreshTokenMatch(third, false));
    }

    @Test
    void replaceWhenVersionMovedOnOrGrantMissingThenFalseAndNothingChanges() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);
        Grant winner = rotated(first, START.plusSeconds(10));
        Grant loser = rotated(first, START.plusSeconds(10));
        assertThat(grants.replace(0, winner)).isTrue();
        List<String> before = RedisTestSupport.dump(direct, prefix);

        assertThat(grants.replace(0, loser)).isFalse();
        assertThat(grants.replace(0, loser.toBuilder().tenant("tenant-b").build())).isFalse();
        assertThat(grants.replace(0, rotated(grant("tenant-a", "user-1", START), START))).isFalse();

        assertThat(RedisTestSupport.dump(direct, prefix)).containsExactlyInAnyOrderElementsOf(before);
        assertThat(grants.findByRefreshTokenHash("tenant-a", loser.refreshTokenHash())).isEmpty();
    }

    @Test
    void replaceWhenNextVersionIsNotExpectedPlusOneThenIllegalArgument() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);

        assertThatThrownBy(() -> grants.replace(0, first.toBuilder().version(2).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(grants.findById("tenant-a", first.id())).contains(first);
    }

    @Test
    void replaceWhenClientOrSubjectChangesThenIllegalArgument() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);

        assertThatThrownBy(() -> grants.replace(0, rotated(first, START).toBuilder().subject("user-2").build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> grants.replace(0, rotated(first, START).toBuilder().clientId("other").build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(grants.findById("tenant-a", first.id())).contains(first);
    }

    @Test
    void replaceWhenNewHashHeldByAnotherGrantThenIllegalArgumentAndNothingChanges() {
        Grant mine = grant("tenant-a", "user-1", START);
        Grant theirs = grant("tenant-a", "user-2", START);
        grants.create(mine);
        grants.create(theirs);
        List<String> before = RedisTestSupport.dump(direct, prefix);

        assertThatThrownBy(() -> grants.replace(0, rotated(mine, START).toBuilder()
                .refreshTokenHash(theirs.refreshTokenHash()).build()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(RedisTestSupport.dump(direct, prefix)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void replaceWhenRevokedThenNeverActiveAgainAndItsHashesStillFindIt() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);
        Grant second = rotated(first, START.plusSeconds(60));
        grants.replace(0, second);
        Grant revoked = second.toBuilder().revoked(START.plusSeconds(120)).nextVersion().build();

        assertThat(grants.replace(1, revoked)).isTrue();
        Grant revived = revoked.toBuilder().status(GrantStatus.ACTIVE).revokedAt(null).nextVersion().build();
        assertThat(grants.replace(2, revived)).isFalse();

        assertThat(grants.findById("tenant-a", first.id())).contains(revoked);
        assertThat(grants.findByRefreshTokenHash("tenant-a", first.refreshTokenHash()))
                .contains(new RefreshTokenMatch(revoked, false));
        assertThat(grants.findByRefreshTokenHash("tenant-a", second.refreshTokenHash()))
                .contains(new RefreshTokenMatch(revoked, true));
        assertThat(grants.listActive("tenant-a", "user-1", START.plusSeconds(121))).isEmpty();
    }

    @Test
    void listActiveWhenSeveralGrantsThenMostRecentlyUsedFirstWithoutRevokedLapsedOrOtherSubjects() {
        Grant old = grant("tenant-a", "user-1", START);
        Grant recent = grant("tenant-a", "user-1", START.plusSeconds(30));
        Grant shortLived = grant("tenant-a", "user-1", START).toBuilder()
                .expiresAt(START.plus(Duration.ofHours(1))).build();
        Grant revoked = grant("tenant-a", "user-1", START);
        Grant otherSubject = grant("tenant-a", "user-2", START);
        Grant otherTenant = grant("tenant-b", "user-1", START);
        for (Grant g : List.of(old, recent, shortLived, revoked, otherSubject, otherTenant)) {
            grants.create(g);
        }
        grants.replace(0, revoked.toBuilder().revoked(START.plusSeconds(40)).nextVersion().build());
        Grant refreshed = rotated(old, START.plusSeconds(50));
        grants.replace(0, refreshed);

        assertThat(grants.listActive("tenant-a", "user-1", START.plus(Duration.ofHours(2))))
                .containsExactly(refreshed, recent);
        assertThat(grants.listActive("tenant-a", "user-1", START.plusSeconds(60)))
                .containsExactly(refreshed, recent, shortLived);
        assertThat(grants.listActive("tenant-b", "user-1", START)).containsExactly(otherTenant);
    }

    @Test
    void createThenEveryKeyLivesUntilExpiresAtPlusRetention() {
        clock.advance(Duration.ofMinutes(4));
        Grant grant = grant("tenant-a", "user-1", START);

        grants.create(grant);

        long expected = LIFETIME.plus(RedisGrantStore.DEFAULT_RETENTION).minus(Duration.ofMinutes(4)).toMillis();
        List<String> keys = RedisTestSupport.keys(direct.sync(), prefix);
        assertThat(keys).hasSize(5);
        for (String key : keys) {
            assertThat(direct.sync().pttl(key)).as(key).isBetween(expected - 5_000, expected);
        }
    }

    @Test
    void replaceThenEveryKeyOfTheGrantIncludingRetiredHashesLivesUntilTheNewExpiryPlusRetention() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);
        clock.advance(Duration.ofDays(20));
        Grant second = rotated(first, clock.instant());

        assertThat(grants.replace(0, second)).isTrue();

        long expected = LIFETIME.plus(RedisGrantStore.DEFAULT_RETENTION).toMillis();
        KeySchema keys = new KeySchema(prefix);
        for (String key : List.of(keys.grant("tenant-a", first.id()),
                keys.grantRefreshTokens("tenant-a", first.id()),
                keys.refreshTokenIndex("tenant-a", first.refreshTokenHash()),
                keys.refreshTokenIndex("tenant-a", second.refreshTokenHash()),
                keys.grantsOfSubject("tenant-a", "user-1"),
                keys.grantExpiry("tenant-a"))) {
            assertThat(direct.sync().pttl(key)).as(key).isBetween(expected - 5_000, expected);
        }
    }

    @Test
    void replaceWhenRevokedThenTheGrantIsKeptUntilExpiresAtPlusRetentionNotDroppedEarlier() {
        Grant first = grant("tenant-a", "user-1", START);
        grants.create(first);
        clock.advance(Duration.ofDays(2));

        assertThat(grants.replace(0, first.toBuilder().revoked(clock.instant()).nextVersion().build())).isTrue();

        long expected = LIFETIME.plus(RedisGrantStore.DEFAULT_RETENTION).minus(Duration.ofDays(2)).toMillis();
        KeySchema keys = new KeySchema(prefix);
        for (String key : List.of(keys.grant("tenant-a", first.id()),
                keys.refreshTokenIndex("tenant-a", first.refreshTokenHash()))) {
            assertThat(direct.sync().pttl(key)).as(key).isBetween(expected - 5_000, expected);
        }
    }

    @Test
    void refreshIsTwoRoundTripsAndEveryOtherCallOne() {
        RedisClient counted = RedisTestSupport.client();
        AtomicInteger commands = new AtomicInteger();
        counted.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.incrementAndGet();
            }
        });
        try (StatefulRedisConnection<String, String> connection = counted.connect()) {
            RedisGrantStore countedStore = RedisGrantStore.builder()
                    .connection(new RedisConnection(connection, prefix)).clock(clock).build();
            Grant warmUp = grant("tenant-a", "user-1", START);
            countedStore.create(warmUp);
            countedStore.replace(0, rotated(countedStore.findByRefreshTokenHash("tenant-a",
                    warmUp.refreshTokenHash()).orElseThrow().grant(), START));
            countedStore.listActive("tenant-a", "user-1", START);
            Grant grant = grant("tenant-a", "user-1", START);

            commands.set(0);
            countedStore.create(grant);
            int createTrips = commands.getAndSet(0);
            RefreshTokenMatch match = countedStore.findByRefreshTokenHash("tenant-a", grant.refreshTokenHash())
                    .orElseThrow();
            boolean rotatedOnce = countedStore.replace(match.grant().version(), rotated(match.grant(), START));
            int refreshTrips = commands.getAndSet(0);
            countedStore.findById("tenant-a", grant.id());
            int findTrips = commands.getAndSet(0);
            countedStore.listActive("tenant-a", "user-1", START);
            int listTrips = commands.get();

            assertThat(rotatedOnce).isTrue();
            assertThat(List.of(createTrips, refreshTrips, findTrips, listTrips)).containsExactly(1, 2, 1, 1);
        } finally {
            counted.shutdown();
        }
    }

    @Test
    void deleteExpiredRemovesLapsedAndRevokedGrantsWithTheirHashesAndKeepsTheRest() {
        Grant lapsed = grant("tenant-a", "user-1", START).toBuilder().expiresAt(START.plusSeconds(60)).build();
        Grant revoked = grant("tenant-b", "user-1", START);
        Grant active = grant("tenant-a", "user-1", START);
        grants.create(lapsed);
        grants.create(revoked);
        grants.create(active);
        Grant rotatedThenRevoked = rotated(revoked, START.plusSeconds(10));
        grants.replace(0, rotatedThenRevoked);
        grants.replace(1, rotatedThenRevoked.toBuilder().revoked(START.plusSeconds(20)).nextVersion().build());

        assertThat(grants.deleteExpired(START.plusSeconds(120), 100)).isEqualTo(2);

        assertThat(grants.findById("tenant-a", lapsed.id())).isEmpty();
        assertThat(grants.findByRefreshTokenHash("tenant-a", lapsed.refreshTokenHash())).isEmpty();
        assertThat(grants.findById("tenant-b", revoked.id())).isEmpty();
        assertThat(grants.findByRefreshTokenHash("tenant-b", revoked.refreshTokenHash())).isEmpty();
        assertThat(grants.findByRefreshTokenHash("tenant-b", rotatedThenRevoked.refreshTokenHash())).isEmpty();
        assertThat(grants.findById("tenant-a", active.id())).contains(active);
        assertThat(grants.deleteExpired(START.plusSeconds(120), 100)).isZero();
        KeySchema keys = new KeySchema(prefix);
        assertThat(RedisTestSupport.keys(direct.sync(), prefix)).containsExactlyInAnyOrder(
                keys.grant("tenant-a", active.id()),
                keys.grantRefreshTokens("tenant-a", active.id()),
                keys.refreshTokenIndex("tenant-a", active.refreshTokenHash()),
                keys.grantsOfSubject("tenant-a", "user-1"),
                keys.grantExpiry("tenant-a"));
    }

    @Test
    void deleteExpiredStopsAtMaxCount() {
        for (int i = 0; i < 5; i++) {
            grants.create(grant("tenant-a", "user-1", START).toBuilder().expiresAt(START.plusSeconds(1)).build());
        }

        assertThat(grants.deleteExpired(START.plusSeconds(2), 3)).isEqualTo(3);
        assertThat(grants.deleteExpired(START.plusSeconds(2), 3)).isEqualTo(2);
    }

    @Test
    void keysWhenTenantAndSubjectHaveBracesThenStayApart() {
        Grant odd = grant("a}b{c%", "user}{1", START);
        Grant plain = odd.toBuilder().tenant("a").refreshTokenHash(freshRefreshTokenHash()).build();

        grants.create(odd);
        grants.create(plain);

        assertThat(grants.findByRefreshTokenHash("a}b{c%", odd.refreshTokenHash()))
                .contains(new RefreshTokenMatch(odd, true));
        assertThat(grants.findByRefreshTokenHash("a", odd.refreshTokenHash())).isEmpty();
        assertThat(grants.listActive("a}b{c%", "user}{1", START)).containsExactly(odd);
    }

    @Test
    void replaceWhen64ThreadsOverTwoConnectionsPresentOneRefreshTokenThenExactlyOneWins() throws Exception {
        RedisClient second = RedisTestSupport.client();
        try (StatefulRedisConnection<String, String> other = second.connect()) {
            RedisGrantStore otherNode = RedisGrantStore.builder()
                    .connection(new RedisConnection(other, prefix)).clock(clock).build();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            try {
                for (int round = 0; round < 20; round++) {
                    Grant grant = grant("tenant-a", "user-1", START);
                    grants.create(grant);
                    List<Grant> candidates = new ArrayList<>();
                    List<Callable<Boolean>> refreshes = new ArrayList<>();
                    for (int i = 0; i < 64; i++) {
                        RedisGrantStore node = i % 2 == 0 ? grants : otherNode;
                        Grant next = rotated(grant, START.plusSeconds(1));
                        candidates.add(next);
                        refreshes.add(() -> node.findByRefreshTokenHash("tenant-a", grant.refreshTokenHash())
                                .filter(RefreshTokenMatch::current)
                                .map(match -> node.replace(match.grant().version(), next))
                                .orElse(false));
                    }

                    List<Boolean> won = raceAll(pool, refreshes);

                    assertThat(won.stream().filter(Boolean::booleanValue).count()).as("round " + round).isEqualTo(1);
                    Grant winner = candidates.get(won.indexOf(true));
                    assertThat(grants.findById("tenant-a", grant.id())).contains(winner);
                    long indexed = candidates.stream().filter(c -> grants
                            .findByRefreshTokenHash("tenant-a", c.refreshTokenHash()).isPresent()).count();
                    assertThat(indexed).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            second.shutdown();
        }
    }

    @Test
    void builderWhenRequiredSettingMissingOrOutOfRangeThenRefusesNamingIt() {
        RedisConnection connection = new RedisConnection(direct, prefix);

        assertThatThrownBy(() -> RedisGrantStore.builder().clock(clock).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connection");
        assertThatThrownBy(() -> RedisGrantStore.builder().connection(connection).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> RedisGrantStore.builder().connection(connection).clock(clock)
                .retention(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> RedisGrantStore.builder().connection(connection).connection(connection))
                .isInstanceOf(IllegalStateException.class);
        assertThat(RedisGrantStore.builder().connection(connection).clock(clock)
                .retention(Duration.ofDays(7)).build().retention()).isEqualTo(Duration.ofDays(7));
    }

    private static List<Boolean> raceAll(ExecutorService pool, List<Callable<Boolean>> steps) throws Exception {
        CountDownLatch ready = new CountDownLatch(steps.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (Callable<Boolean> step : steps) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                start.await(30, TimeUnit.SECONDS);
                return step.call();
            }));
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        start.countDown();
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }
}
