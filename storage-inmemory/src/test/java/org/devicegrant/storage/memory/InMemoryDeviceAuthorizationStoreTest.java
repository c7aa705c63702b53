package org.devicegrant.storage.memory;

import java.util.ArrayList;
import java.util.List;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.tck.DeviceAuthorizationStoreContract;
import org.devicegrant.storage.tck.MutableClock;

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
}
