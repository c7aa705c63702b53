package org.devicegrant.storage.jdbc;

/** The storage TCK against {@link JdbcDeviceAuthorizationStore} on Postgresql. */
class PostgresqlStoreTest extends AbstractJdbcStoreContractTest {

    PostgresqlStoreTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
