package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DialectTest {

    @Test
    void detectWhenH2ThenH2() throws Exception {
        try (Connection connection = TestDatabase.H2.connect()) {
            assertThat(Dialect.detect(connection.getMetaData())).isEqualTo(Dialect.H2);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void schemaResourceOfEveryDialectExistsAndUsesTheDefaultTableName(Dialect dialect) throws Exception {
        try (var in = JdbcDeviceAuthorizationStore.class.getResourceAsStream(dialect.schemaResource())) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("CREATE TABLE IF NOT EXISTS devicegrant_authorization (");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void grantSchemaResourceOfEveryDialectExistsAndUsesTheDefaultTableNames(Dialect dialect) throws Exception {
        try (var in = JdbcGrantStore.class.getResourceAsStream(dialect.grantSchemaResource())) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("CREATE TABLE IF NOT EXISTS devicegrant_grant (")
                    .contains("CREATE TABLE IF NOT EXISTS devicegrant_grant_refresh_token (");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void deleteBeforeNamesTheTableAndTheColumnAndBindsTwoParameters(Dialect dialect) {
        String sql = dialect.deleteBefore("my_grants", "purge_at");

        assertThat(sql).contains("DELETE FROM my_grants").contains("purge_at < ?").doesNotContain("expires_at")
                .doesNotContain("%");
        assertThat(sql.chars().filter(c -> c == '?')).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void deleteExpiredTemplateNamesTheTableAndBindsTwoParameters(Dialect dialect) {
        String sql = new Statements(dialect, "my_table").deleteExpired;

        assertThat(sql).contains("DELETE FROM my_table").doesNotContain("%1$s");
        assertThat(sql.chars().filter(c -> c == '?')).hasSize(2);
    }
}
