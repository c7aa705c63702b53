package org.devicegrant.storage.jdbc;

/** The storage TCK's grant contract against {@link JdbcGrantStore} on H2. */
class JdbcGrantStoreOnH2Test extends AbstractJdbcGrantStoreContractTest {

    JdbcGrantStoreOnH2Test() {
        super(TestDatabase.H2);
    }
}
