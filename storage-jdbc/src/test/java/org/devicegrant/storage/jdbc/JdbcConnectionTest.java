package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcConnectionTest {

    private final JdbcDataSource dataSource = new JdbcDataSource();

    @Test
    void ofWhenOnlyDataSourceThenDialectDetectedAndDefaultTableNames() {
        JdbcConnection connection = JdbcConnection.of(dataSource);

        assertThat(connection.dataSource()).isSameAs(dataSource);
        assertThat(connection.dialect()).isNull();
        assertThat(connection.tablePrefix()).isEqualTo("devicegrant");
        assertThat(connection.authorizationTable()).isEqualTo("devicegrant_authorization");
        assertThat(connection.attemptTablePrefix()).isEqualTo("devicegrant_attempt");
        assertThat(connection.grantTable()).isEqualTo("devicegrant_grant");
        assertThat(connection.grantRefreshTokenTable()).isEqualTo("devicegrant_grant_refresh_token");
    }

    @Test
    void withWhenDialectAndPrefixSetThenBothKeptAndTheDataSourceToo() {
        JdbcConnection connection = JdbcConnection.of(dataSource).withDialect(Dialect.MARIADB).withTablePrefix("Dg_2");

        assertThat(connection).isEqualTo(new JdbcConnection(dataSource, Dialect.MARIADB, "Dg_2"));
        assertThat(connection.authorizationTable()).isEqualTo("Dg_2_authorization");
        assertThat(connection.attemptTablePrefix()).isEqualTo("Dg_2_attempt");
        assertThat(connection.grantTable()).isEqualTo("Dg_2_grant");
        assertThat(connection.grantRefreshTokenTable()).isEqualTo("Dg_2_grant_refresh_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1table", "dg-table", "dg table", "dg.table", "dg;drop", "\"quoted\"",
            "a_prefix_longer_than_thirty_two_c"})
    void whenTablePrefixNotAPlainIdentifierOfAtMost32ThenRejectedNamingItAndTheRange(String tablePrefix) {
        assertThatThrownBy(() -> JdbcConnection.of(dataSource).withTablePrefix(tablePrefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix")
                .hasMessageContaining("1 to 32");
    }

    @Test
    void whenTablePrefixHas32CharactersThenEveryNameFitsIn63() {
        String longest = "p".repeat(32);
        JdbcConnection connection = JdbcConnection.of(dataSource).withTablePrefix(longest);

        for (Dialect dialect : Dialect.values()) {
            assertThat(JdbcDeviceAuthorizationStore.schemaStatements(dialect, connection.authorizationTable()))
                    .allSatisfy(sql -> assertThat(identifiers(sql)).allMatch(name -> name.length() <= 63));
            assertThat(JdbcAttemptLimiter.schemaStatements(dialect, connection.attemptTablePrefix()))
                    .allSatisfy(sql -> assertThat(identifiers(sql)).allMatch(name -> name.length() <= 63));
            assertThat(JdbcGrantStore.schemaStatements(dialect, connection.grantTable()))
                    .allSatisfy(sql -> assertThat(identifiers(sql)).allMatch(name -> name.length() <= 63));
        }
    }

    @Test
    void whenDataSourceOrPrefixNullThenNamed() {
        assertThatThrownBy(() -> JdbcConnection.of(null)).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> new JdbcConnection(dataSource, null, null)).hasMessageContaining("tablePrefix");
        assertThatThrownBy(() -> JdbcConnection.of(dataSource).withDialect(null)).hasMessageContaining("dialect");
    }

    /** The words of {@code sql} that start with the test prefix: the names the schema creates. */
    private static List<String> identifiers(String sql) {
        return Arrays.stream(sql.split("[^A-Za-z0-9_]+")).filter(word -> word.startsWith("ppp")).toList();
    }
}
