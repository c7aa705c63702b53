package org.devicegrant.storage.jdbc;

/** The storage TCK's grant contract against {@link JdbcGrantStore} on Mariadb. */
class JdbcGrantStoreOnMariadbTest extends AbstractJdbcGrantStoreContractTest {

    JdbcGrantStoreOnMariadbTest() {
        super(TestDatabase.MARIADB);
    }
}
