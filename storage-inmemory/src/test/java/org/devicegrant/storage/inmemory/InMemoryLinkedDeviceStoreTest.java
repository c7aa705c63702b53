package org.devicegrant.storage.inmemory;

import org.devicegrant.storage.LinkedDeviceStore;
import org.devicegrant.storage.tck.LinkedDeviceStoreContract;
import org.devicegrant.storage.tck.MutableClock;

class InMemoryLinkedDeviceStoreTest extends LinkedDeviceStoreContract {

    @Override
    protected LinkedDeviceStore createStore(MutableClock clock) {
        return new InMemoryLinkedDeviceStore();
    }
}
