package org.devicegrant.storage.memory;

import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.tck.DeviceAuthorizationStoreContract;
import org.devicegrant.storage.tck.MutableClock;

class InMemoryDeviceAuthorizationStoreTest extends DeviceAuthorizationStoreContract {

    @Override
    protected DeviceAuthorizationStore createStore(MutableClock clock) {
        return InMemoryDeviceAuthorizationStore.create();
    }
}
