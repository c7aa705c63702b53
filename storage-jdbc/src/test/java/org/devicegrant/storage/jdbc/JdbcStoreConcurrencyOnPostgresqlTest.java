package org.devicegrant.storage.jdbc;

/** Compare-and-set and user-code races on Postgresql, two pools as two nodes. */
class JdbcStoreConcurrencyOnPostgresqlTest extends AbstractJdbcStoreConcurrencyTest {

    JdbcStoreConcurrencyOnPostgresqlTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
