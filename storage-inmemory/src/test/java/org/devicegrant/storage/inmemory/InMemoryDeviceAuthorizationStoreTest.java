package org.devicegrant.storage.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.tck.Fixtures.TENANT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
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
    void whenTombstoneRetentionHasPassedThenCreatesPurgeTheOldRecords() throws Exception {
        InMemoryDeviceAuthorizationStore purging = InMemoryDeviceAuthorizationStore.builder()
                .tombstoneRetention(Duration.ofMinutes(5))
                .build();
        List<DeviceAuthorization> old = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeviceAuthorization record = Fixtures.pending(now());
            purging.create(record, now(), Long.MAX_VALUE);
            old.add(record);
        }
        clock.setInstant(old.get(0).expiresAt().plus(Duration.ofMinutes(5)));
        purging.create(Fixtures.pending(now()), now(), Long.MAX_VALUE);
        assertThat(purging.findById(TENANT, old.get(0).id())).as("exactly at the end of retention").isPresent();

        clock.advance(Duration.ofMillis(1));
        purging.create(Fixtures.pending(now()), now(), Long.MAX_VALUE);
        purging.create(Fixtures.pending(now()), now(), Long.MAX_VALUE);

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
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder().tombstoneRetention(Duration.ofSeconds(59)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tombstoneRetention must be between PT1M and PT168H");
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder().tombstoneRetention(Duration.ofDays(8)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tombstoneRetention");
    }

    @Test
    void whenSettingAssignedTwiceThenIllegalState() {
        assertThatThrownBy(() -> InMemoryDeviceAuthorizationStore.builder()
                        .tombstoneRetention(Duration.ofMinutes(2)).tombstoneRetention(Duration.ofMinutes(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tombstoneRetention was already set");
    }
}
