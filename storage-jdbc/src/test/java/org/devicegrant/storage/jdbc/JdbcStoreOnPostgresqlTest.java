package org.devicegrant.storage.jdbc;

/** The JDBC store's own behaviour on Postgresql. */
class JdbcStoreOnPostgresqlTest extends AbstractJdbcStoreTest {

    JdbcStoreOnPostgresqlTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
