package org.devicegrant.storage.jdbc;

/** The JDBC grant store's own behaviour on Postgresql. */
class JdbcGrantStoreBehaviourOnPostgresqlTest extends AbstractJdbcGrantStoreTest {

    JdbcGrantStoreBehaviourOnPostgresqlTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
