package org.devicegrant.storage.jdbc;

/** The JDBC store's own behaviour on Mariadb. */
class JdbcStoreOnMariadbTest extends AbstractJdbcStoreTest {

    JdbcStoreOnMariadbTest() {
        super(TestDatabase.MARIADB);
    }
}
