package org.devicegrant.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.tck.GrantStoreContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The grant contract of the storage TCK on one database: fresh tables with a prefix of their own
 * per class, emptied for every test, dropped after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcGrantStoreContractTest extends GrantStoreContract {

    private final TestDatabase database;
    private HikariDataSource pool;
    private JdbcConnection connection;

    AbstractJdbcGrantStoreContractTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void createTables() {
        database.assumeAvailable();
        pool = database.pool("grant-tck-" + database.name(), 16);
        connection = JdbcConnection.of(pool).withTablePrefix(TestDatabase.randomTablePrefix());
        JdbcGrantStore.of(connection).createSchema();
    }

    @AfterAll
    void dropTables() {
        if (pool != null) {
            pool.close();
            database.dropTables(connection.grantRefreshTokenTable(), connection.grantTable());
        }
    }

    @Override
    protected GrantStore createStore(MutableClock clock) throws Exception {
        database.deleteAllRows(connection.grantRefreshTokenTable());
        database.deleteAllRows(connection.grantTable());
        return JdbcGrantStore.of(connection);
    }
}
