package org.devicegrant.storage.jdbc;

/** Compare-and-set and user-code races on H2, two pools as two nodes. */
class JdbcStoreConcurrencyOnH2Test extends AbstractJdbcStoreConcurrencyTest {

    JdbcStoreConcurrencyOnH2Test() {
        super(TestDatabase.H2);
    }
}
