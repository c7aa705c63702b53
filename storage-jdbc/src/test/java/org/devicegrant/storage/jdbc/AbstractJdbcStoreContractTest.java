package org.devicegrant.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.tck.DeviceAuthorizationStoreContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The storage TCK on one database: one fresh table per class, emptied for every test, dropped
 * after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStoreContractTest extends DeviceAuthorizationStoreContract {

    private final TestDatabase database;
    private HikariDataSource pool;
    private JdbcConnection connection;
    private String table;

    AbstractJdbcStoreContractTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void createTable() {
        database.assumeAvailable();
        pool = database.pool("tck-" + database.name(), 16);
        connection = JdbcConnection.of(pool).withTablePrefix(TestDatabase.randomTablePrefix());
        JdbcDeviceAuthorizationStore schema = JdbcDeviceAuthorizationStore.of(connection);
        schema.createSchema();
        table = schema.tableName();
    }

    @AfterAll
    void dropTable() {
        if (pool != null) {
            pool.close();
            database.dropTable(table);
        }
    }

    @Override
    protected DeviceAuthorizationStore createStore(MutableClock clock) throws Exception {
        database.deleteAllRows(table);
        return JdbcDeviceAuthorizationStore.of(connection);
    }

    /** The cap is a conditional insert whose count does not see overlapping inserts; see the store's Javadoc. */
    @Override
    protected boolean pendingCapIsExactUnderConcurrency() {
        return false;
    }

    /** Every column of every row, one entry per row, as {@code column=value} pairs. */
    @Override
    protected Iterable<String> dumpPersistedState() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.append(i == 1 ? "" : ", ").append(columns.getColumnLabel(i)).append('=')
                            .append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
