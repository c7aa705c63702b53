package org.devicegrant.storage.jdbc;

/** The JDBC grant store's own behaviour on H2. */
class JdbcGrantStoreBehaviourOnH2Test extends AbstractJdbcGrantStoreTest {

    JdbcGrantStoreBehaviourOnH2Test() {
        super(TestDatabase.H2);
    }
}
