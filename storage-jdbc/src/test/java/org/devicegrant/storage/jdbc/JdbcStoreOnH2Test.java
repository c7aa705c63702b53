package org.devicegrant.storage.jdbc;

/** The JDBC store's own behaviour on H2. */
class JdbcStoreOnH2Test extends AbstractJdbcStoreTest {

    JdbcStoreOnH2Test() {
        super(TestDatabase.H2);
    }
}
