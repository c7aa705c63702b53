package org.devicegrant.storage.jdbc;

/** The JDBC grant store's own behaviour on Mariadb. */
class JdbcGrantStoreBehaviourOnMariadbTest extends AbstractJdbcGrantStoreTest {

    JdbcGrantStoreBehaviourOnMariadbTest() {
        super(TestDatabase.MARIADB);
    }
}
