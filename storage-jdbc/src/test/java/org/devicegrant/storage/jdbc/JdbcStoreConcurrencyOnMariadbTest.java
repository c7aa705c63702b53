package org.devicegrant.storage.jdbc;

/** Compare-and-set and user-code races on Mariadb, two pools as two nodes. */
class JdbcStoreConcurrencyOnMariadbTest extends AbstractJdbcStoreConcurrencyTest {

    JdbcStoreConcurrencyOnMariadbTest() {
        super(TestDatabase.MARIADB);
    }
}
