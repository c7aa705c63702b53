package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Table naming and schema text; behaviour on databases is in {@code JdbcGrantStore*On*Test}. */
class JdbcGrantStoreTest {

    @Test
    void ofWhenOnlyDataSourceThenDefaultTablesAndNoConnectionOpened() {
        JdbcGrantStore store = JdbcGrantStore.of(JdbcConnection.of(new JdbcDataSource()).withDialect(Dialect.H2));

        assertThat(store.grantTable()).isEqualTo("devicegrant_grant");
        assertThat(store.refreshTokenTable()).isEqualTo("devicegrant_grant_refresh_token");
        assertThat(store.dialect()).isEqualTo(Dialect.H2);
    }

    @Test
    void ofWhenTablePrefixSetThenBothTablesStartWithIt() {
        JdbcGrantStore store = JdbcGrantStore.of(JdbcConnection.of(new JdbcDataSource()).withTablePrefix("dg"));

        assertThat(store.grantTable()).isEqualTo("dg_grant");
        assertThat(store.refreshTokenTable()).isEqualTo("dg_grant_refresh_token");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void schemaStatementsUseTheConfiguredTableNamesEverywhere(Dialect dialect) {
        List<String> statements = JdbcGrantStore.schemaStatements(dialect, "custom_grant");

        assertThat(statements).isNotEmpty().allMatch(sql -> sql.contains("custom_grant"))
                .noneMatch(sql -> sql.contains("devicegrant") || sql.contains("--"));
        assertThat(String.join("\n", statements)).contains("custom_grant_refresh_token")
                .contains("REFERENCES custom_grant (tenant, id) ON DELETE CASCADE");
    }
}
