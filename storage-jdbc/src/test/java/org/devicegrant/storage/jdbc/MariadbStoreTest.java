package org.devicegrant.storage.jdbc;

/** The storage TCK against {@link JdbcDeviceAuthorizationStore} on Mariadb. */
class MariadbStoreTest extends AbstractJdbcStoreContractTest {

    MariadbStoreTest() {
        super(TestDatabase.MARIADB);
    }
}
