package org.devicegrant.storage.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.tck.Fixtures.CLIENT;
import static org.devicegrant.storage.tck.Fixtures.OTHER_TENANT;
import static org.devicegrant.storage.tck.Fixtures.TENANT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.tck.DeviceAuthorizationStoreContract;
import org.devicegrant.storage.tck.Fixtures;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryDeviceAuthorizationStoreTest extends DeviceAuthorizationStoreContract {

    @Override
    protected DeviceAuthorizationStore createStore(MutableClock clock) {
        return InMemoryDeviceAuthorizationStore.create();
    }

    @Override
    protected Iterable<String> dumpPersistedState() {
        List<String> rows = new ArrayList<>();
        ((InMemoryDeviceAuthorizationStore) store).forEachRecord(record -> rows.add(record.toString()));
        return rows;
    }

    @Test
    void whenPendingCapReachedThenPendingLimitExceededAndNothingWritten() throws Exception {
        InMemoryDeviceAuthorizationStore capped = InMemoryDeviceAuthorizationStore.builder().maxPendingPerTenant(2).build();
        capped.create(Fixtures.pending(now()), now());
        capped.create(Fixtures.pending(now()), now());
        DeviceAuthorization third = Fixtures.pending(now());

        assertThatThrownBy(() -> capped.create(third, now()))
                .isInstanceOf(PendingLimitExceededException.class)
                .hasMessageContaining("2");

        assertThat(capped.findById(TENANT, third.id())).isEmpty();
        assertThat(capped.countPending(TENANT, now())).isEqualTo(2);
        capped.create(Fixtures.pending(OTHER_TENANT, CLIENT, now(), Fixtures.LIFETIME), now());
    }

    @Test
    void whenPendingRecordsLeavePendingOrExpireThenTheCapFreesUp() throws Exception {
        InMemoryDeviceAuthorizationStore capped = InMemoryDeviceAuthorizationStore.builder().maxPendingPerTenant(2).build();
        DeviceAuthorization toApprove = Fixtures.pending(now());
        DeviceAuthorization shortLived = Fixtures.pending(TENANT, CLIENT, now(), Duration.ofMinutes(1));
        capped.create(toApprove, now());
        capped.create(shortLived, now());

        assertThat(capped.replace(0, Fixtures.approved(toApprove, "user-1", now()))).isTrue();
        capped.create(Fixtures.pending(now()), now());
        assertThatThrownBy(() -> capped.create(Fixtures.pending(now()), now()))
                .isInstanceOf(PendingLimitExceededException.class);
        clock.setInstant(shortLived.expiresAt());

        capped.create(Fixtures.pending(now()), now());
        assertThat(capped.countPending(TENANT, now())).isEqualTo(2);
    }

    @Test
    void whenManyThreadsCreateAgainstTheCapThenNeverMoreThanTheCap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 10; round++) {
                InMemoryDeviceAuthorizationStore capped =
                        InMemoryDeviceAuthorizationStore.builder().maxPendingPerTenant(10).build();
                List<DeviceAuthorization> candidates = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    candidates.add(Fixtures.pending(now()));
                }

                List<Boolean> created = race(pool, candidates, candidate -> {
                    try {
                        capped.create(candidate, now());
                        return true;
                    } catch (PendingLimitExceededException expected) {
                        return false;
                    }
                });

                assertThat(created.stream().filter(Boolean::booleanValue).count()).as("round %d", round).isEqualTo(10);
                assertThat(capped.countPending(TENANT, now())).isEqualTo(10);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenTombstoneRetentionHasPassedThenCreatesPurgeTheOldRecords() throws Exception {
        InMemoryDeviceAuthorizationStore purging = InMemoryDeviceAuthorizationStore.builder()
                .tombstoneRetention(Duration.ofMinutes(5))
                .build();
        List<DeviceAuthorization> old = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeviceAuthorization record = Fixtures.pending(now());
            purging.create(record, now());
            old.add(record);
        }
        clock.setInstant(old.get(0).expiresAt().plus(Duration.ofMinutes(5)));
        purging.create(Fixtures.pending(now()), now());
        assertThat(purging.findById(TENANT, old.get(0).id())).as("exactly at the end of retention").isPresent();

        clock.advance(Duration.ofMillis(1));
        purging.create(Fixtures.pending(now()), now());
        purging.create(Fixtures.pending(now()), now());

        for (DeviceAuthorization record : old) {
            assertThat(purging.findById(TENANT, record.id())).isEmpty();
            assertThat(purging.findByUserCodeHash(TENANT, record.userCodeHash())).isEmpty();
        }
    }

    @Test
    void whenReplaceChangesTheIdentityThenIllegalArgumentAndNothingChanges() throws Exception {
        DeviceAuthorization record = createPending();
        DeviceAuthorization moved = Fixtures.approved(record, "user-1", now()).toBuilder()
                .expiresAt(record.expiresAt().plusSeconds(600))
                .build();

        assertThatThrownBy(() -> store.replace(0, moved))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(record.id())
                .hasMessageNotContaining(record.deviceCodeHash());

        assertThat(store.findById(TENANT, record.id())).contains(record);
    }

    @Test
    void whenSettingOutOfRangeThenBuildNamesItAndItsRange() {
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder().maxPendingPerTenant(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPendingPerTenant must be at least 1");
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder().tombstoneRetention(Duration.ofSeconds(59)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tombstoneRetention must be between PT1M and PT168H");
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder().tombstoneRetention(Duration.ofDays(8)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tombstoneRetention");
    }

    @Test
    void whenSettingAssignedTwiceThenIllegalState() {
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder().maxPendingPerTenant(5).maxPendingPerTenant(6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxPendingPerTenant was already set");
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder()
                        .tombstoneRetention(Duration.ofMinutes(2)).tombstoneRetention(Duration.ofMinutes(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tombstoneRetention was already set");
    }
}
