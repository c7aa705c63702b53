package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder, schema text and error mapping; behaviour on databases is in {@code JdbcStoreOn*Test}. */
class JdbcDeviceAuthorizationStoreTest {

    private static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:builder-test");
        return dataSource;
    }

    @Test
    void buildWhenOnlyDataSourceThenDefaultTableAndNoConnectionOpened() {
        JdbcDeviceAuthorizationStore store = JdbcDeviceAuthorizationStore.builder()
                .dataSource(new JdbcDataSource()).dialect(Dialect.H2).build();

        assertThat(store.tableName()).isEqualTo("devicegrant_authorization");
        assertThat(store.dialect()).isEqualTo(Dialect.H2);
    }

    @Test
    void buildWhenNoDataSourceThenRejectedNamingIt() {
        assertThatThrownBy(() -> JdbcDeviceAuthorizationStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataSource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1table", "dg-table", "dg table", "dg.table", "dg;drop", "\"quoted\"",
            "a_table_name_that_is_longer_than_forty_eight_chars"})
    void buildWhenTableNameNotPlainIdentifierThenRejectedNamingSettingAndRange(String tableName) {
        JdbcDeviceAuthorizationStore.Builder builder = JdbcDeviceAuthorizationStore.builder()
                .dataSource(h2()).tableName(tableName);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tableName")
                .hasMessageContaining("1 to 48");
    }

    @Test
    void builderWhenSettingSetTwiceThenRejected() {
        JdbcDeviceAuthorizationStore.Builder builder = JdbcDeviceAuthorizationStore.builder().dataSource(h2())
                .tableName("a").dialect(Dialect.H2);

        assertThatThrownBy(() -> builder.dataSource(h2())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.tableName("b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.dialect(Dialect.H2)).isInstanceOf(IllegalStateException.class);
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
