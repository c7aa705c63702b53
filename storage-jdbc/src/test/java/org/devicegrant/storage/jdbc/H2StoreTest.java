package org.devicegrant.storage.jdbc;

/** The storage TCK against {@link JdbcDeviceAuthorizationStore} on H2. */
class H2StoreTest extends AbstractJdbcStoreContractTest {

    H2StoreTest() {
        super(TestDatabase.H2);
    }
}
