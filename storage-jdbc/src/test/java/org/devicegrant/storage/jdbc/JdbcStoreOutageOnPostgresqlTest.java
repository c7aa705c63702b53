package org.devicegrant.storage.jdbc;

/** Outages and partial failures between a pool and Postgresql, through a loopback proxy. */
class JdbcStoreOutageOnPostgresqlTest extends AbstractJdbcStoreOutageTest {

    JdbcStoreOutageOnPostgresqlTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
