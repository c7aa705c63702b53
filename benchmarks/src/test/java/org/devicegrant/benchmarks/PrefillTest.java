package org.devicegrant.benchmarks;

import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PrefillTest {

    @Test
    void pendingWhenFilledOnFourThreadsThenEveryCodeFindsItsOwnPendingRecordByItsHashes() {
        InMemoryDeviceAuthorizationStore store = InMemoryDeviceAuthorizationStore.create();

        Prefill.Codes codes = Prefill.pending(store, Wiring.TENANT, 5_000, Wiring.defaultRandom());

        assertThat(store.countPending(Wiring.TENANT, Wiring.START)).isEqualTo(5_000);
        assertThat(Set.of(codes.deviceCodes())).hasSize(5_000);
        CodeHasher hasher = Wiring.hasher();
        for (int i = 0; i < codes.size(); i += 7) {
            DeviceAuthorization byDeviceCode = store.findByDeviceCodeHash(Wiring.TENANT,
                    hasher.deviceCodeHash(codes.deviceCodes()[i])).orElseThrow();
            String canonical = UserCodeFormat.BASE20.normalize(codes.userCodes()[i]).orElseThrow();
            DeviceAuthorization byUserCode = store.findByUserCodeHash(Wiring.TENANT, hasher.userCodeHash(canonical))
                    .orElseThrow();
            assertThat(byUserCode.id()).isEqualTo(byDeviceCode.id());
            assertThat(byDeviceCode.status()).isEqualTo(AuthorizationStatus.PENDING);
            assertThat(byDeviceCode.clientId()).isEqualTo(Wiring.CLIENT_ID);
        }
    }
}
