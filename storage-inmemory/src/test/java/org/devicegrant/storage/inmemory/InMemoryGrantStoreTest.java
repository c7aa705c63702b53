package org.devicegrant.storage.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.storage.tck.Fixtures.OTHER_TENANT;
import static org.devicegrant.storage.tck.Fixtures.TENANT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.devicegrant.storage.tck.Fixtures;
import org.devicegrant.storage.tck.GrantStoreContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryGrantStoreTest extends GrantStoreContract {

    private final Instant now = Fixtures.START;

    @Override
    protected GrantStore createStore(MutableClock clock) {
        return InMemoryGrantStore.create();
    }

    private InMemoryGrantStore inMemory() {
        return (InMemoryGrantStore) store;
    }

    @Test
    void whenRotatedThenTheOtherTenantFindsNeitherHash() {
        Grant grant = Fixtures.grant(TENANT, "alice", now);
        store.create(grant);
        Grant next = Fixtures.rotated(grant, now.plusSeconds(60));

        assertThat(store.replace(grant.version(), next)).isTrue();

        assertThat(store.findByRefreshTokenHash(TENANT, next.refreshTokenHash()))
                .contains(new RefreshTokenMatch(next, true));
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(next, false));
        assertThat(store.findByRefreshTokenHash(OTHER_TENANT, next.refreshTokenHash())).isEmpty();
    }

    @Test
    void whenManyThreadsRotateOneVersionThenExactlyOneWinsAndOnlyItsHashIsIndexed() throws Exception {
        Grant grant = Fixtures.grant(TENANT, "alice", now);
        store.create(grant);
        List<Grant> candidates = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            candidates.add(Fixtures.rotated(grant, now.plusSeconds(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (Grant candidate : candidates) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.replace(grant.version(), candidate);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        List<String> indexed = new ArrayList<>();
        inMemory().forEachRefreshTokenHash(indexed::add);
        Grant stored = store.findById(TENANT, grant.id()).orElseThrow();
        assertThat(indexed).containsExactlyInAnyOrder(grant.refreshTokenHash(), stored.refreshTokenHash());
    }

    @Test
    void whenDeleteExpiredAfterRotationsThenOnlyThePurgeOrderDecidesAndEveryHashGoes() {
        Grant grant = Fixtures.grant(TENANT, "alice", now);
        store.create(grant);
        Grant once = Fixtures.rotated(grant, now.plus(Duration.ofDays(1)));
        Grant twice = Fixtures.rotated(once, now.plus(Duration.ofDays(2)));
        assertThat(store.replace(0, once)).isTrue();
        assertThat(store.replace(1, twice)).isTrue();

        assertThat(store.deleteExpired(grant.expiresAt().plusSeconds(1), 10))
                .as("the first deadline moved with each refresh").isZero();
        assertThat(store.deleteExpired(twice.expiresAt().plusSeconds(1), 10)).isEqualTo(1);

        List<String> indexed = new ArrayList<>();
        inMemory().forEachRefreshTokenHash(indexed::add);
        assertThat(indexed).isEmpty();
        assertThat(store.findById(TENANT, grant.id())).isEmpty();
        assertThat(store.replace(2, Fixtures.rotated(twice, now.plus(Duration.ofDays(3))))).isFalse();
    }

    @Test
    void whenRevokedEarlyThenPurgeableFromTheRevocationNotTheDeadline() {
        Grant grant = Fixtures.grant(TENANT, "alice", now);
        store.create(grant);
        assertThat(store.replace(0, Fixtures.revoked(grant, now.plusSeconds(10)))).isTrue();

        assertThat(store.deleteExpired(now.plusSeconds(11), 10)).isEqualTo(1);

        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash())).isEmpty();
        assertThat(store.listActive(TENANT, "alice", now.plusSeconds(11))).isEmpty();
    }

    @Test
    void whenASubjectsLastGrantIsPurgedThenItsIndexEntryGoesAndANewGrantIsListed() {
        Grant grant = Fixtures.grantBuilder(TENANT, "alice", now).expiresAt(now.plusSeconds(60)).build();
        store.create(grant);
        Grant other = Fixtures.grant(TENANT, "bob", now);
        store.create(other);

        assertThat(store.deleteExpired(now.plusSeconds(61), 10)).isEqualTo(1);
        assertThat(inMemory().indexedSubjects()).isEqualTo(1);

        Grant again = Fixtures.grant(TENANT, "alice", now.plusSeconds(61));
        store.create(again);
        assertThat(store.listActive(TENANT, "alice", now.plusSeconds(62))).containsExactly(again);
    }
}
