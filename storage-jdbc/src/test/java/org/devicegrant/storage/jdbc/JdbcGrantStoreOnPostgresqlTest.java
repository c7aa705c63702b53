package org.devicegrant.storage.jdbc;

/** The storage TCK's grant contract against {@link JdbcGrantStore} on Postgresql. */
class JdbcGrantStoreOnPostgresqlTest extends AbstractJdbcGrantStoreContractTest {

    JdbcGrantStoreOnPostgresqlTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
