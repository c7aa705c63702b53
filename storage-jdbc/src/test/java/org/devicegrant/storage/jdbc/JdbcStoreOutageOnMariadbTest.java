package org.devicegrant.storage.jdbc;

/** Outages and partial failures between a pool and Mariadb, through a loopback proxy. */
class JdbcStoreOutageOnMariadbTest extends AbstractJdbcStoreOutageTest {

    JdbcStoreOutageOnMariadbTest() {
        super(TestDatabase.MARIADB);
    }
}
