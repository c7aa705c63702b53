package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Table naming, schema text and error mapping; behaviour on databases is in {@code JdbcStoreOn*Test}. */
class JdbcDeviceAuthorizationStoreTest {

    @Test
    void ofWhenOnlyDataSourceThenDefaultTableAndNoConnectionOpened() {
        JdbcDeviceAuthorizationStore store = JdbcDeviceAuthorizationStore.of(
                JdbcConnection.of(new JdbcDataSource()).withDialect(Dialect.H2));

        assertThat(store.tableName()).isEqualTo("devicegrant_authorization");
        assertThat(store.dialect()).isEqualTo(Dialect.H2);
    }

    @Test
    void ofWhenTablePrefixSetThenTheTableStartsWithIt() {
        JdbcDeviceAuthorizationStore store = JdbcDeviceAuthorizationStore.of(
                JdbcConnection.of(new JdbcDataSource()).withTablePrefix("dg"));

        assertThat(store.tableName()).isEqualTo("dg_authorization");
    }

    @Test
    void schemaStatementsUseTheConfiguredTableNameEverywhere() {
        List<String> statements = JdbcDeviceAuthorizationStore.schemaStatements(Dialect.POSTGRESQL, "custom_auth");

        assertThat(statements).hasSize(6).allMatch(sql -> sql.contains("custom_auth"))
                .noneMatch(sql -> sql.contains("devicegrant_authorization") || sql.contains("--"));
    }

    @Test
    void isUniqueViolationWhenSqlStateOrMariadbDuplicateKeyThenTrue() {
        assertThat(JdbcOperations.isUniqueViolation(new SQLException("x", "23505", 0))).isTrue();
        assertThat(JdbcOperations.isUniqueViolation(new SQLException("x", "23000", 1062))).isTrue();
        assertThat(JdbcOperations.isUniqueViolation(new SQLException("x", "23000", 1048))).isFalse();
        assertThat(JdbcOperations.isUniqueViolation(new SQLException("x", "08006", 0))).isFalse();
    }

    @Test
    void withoutValuesWhenIntegrityOrDataErrorThenMessageWithheldButStateKept() {
        SQLException quoting = new SQLException("Key (tenant, hash)=(t, secret-hash) already exists", "23505", 7);
        SQLException connection = new SQLException("Connection refused", "08001", 0);

        SQLException bare = JdbcOperations.withoutValues(quoting);

        assertThat(bare.getMessage()).doesNotContain("secret-hash").contains("23505");
        assertThat(bare.getSQLState()).isEqualTo("23505");
        assertThat(bare.getErrorCode()).isEqualTo(7);
        assertThat(bare.getStackTrace()).isEqualTo(quoting.getStackTrace());
        assertThat((Throwable) JdbcOperations.withoutValues(connection)).isSameAs(connection);
    }
}
