package org.devicegrant.storage.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL dialects the JDBC stores speak. Each has its DDL resources
 * {@code org/devicegrant/storage/jdbc/schema-<name>.sql}, {@code grant-schema-<name>.sql} and
 * {@code attempt-schema-<name>.sql}. Immutable and thread-safe.
 */
public enum Dialect {
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql", "", "DELETE FROM %1$s WHERE (tenant, id) IN "
            + "(SELECT tenant, id FROM %1$s WHERE %2$s < ? ORDER BY %2$s FETCH FIRST ? ROWS ONLY)"),
    /**
     * MariaDB 10.5 or later, and MySQL 8 (InnoDB). MariaDB does not allow {@code LIMIT} in an
     * {@code IN} subquery, so purging uses the single-table {@code DELETE … ORDER BY … LIMIT}.
     */
    MARIADB("mariadb", " FROM DUAL", "DELETE FROM %1$s WHERE %2$s < ? ORDER BY %2$s LIMIT ?"),
    /** H2 2.x, for tests and embedded single-process use. */
    H2("h2", "", "DELETE FROM %1$s WHERE (tenant, id) IN "
            + "(SELECT tenant, id FROM %1$s WHERE %2$s < ? ORDER BY %2$s FETCH FIRST ? ROWS ONLY)");

    private final String resourceSuffix;
    private final String selectWithoutTable;
    private final String deleteBeforeTemplate;

    Dialect(String resourceSuffix, String selectWithoutTable, String deleteBeforeTemplate) {
        this.resourceSuffix = resourceSuffix;
        this.selectWithoutTable = selectWithoutTable;
        this.deleteBeforeTemplate = deleteBeforeTemplate;
    }

    /** Classpath location of this dialect's DDL, with the default table name. */
    String schemaResource() {
        return "schema-" + resourceSuffix + ".sql";
    }

    /** Classpath location of this dialect's grant-store DDL, with the default table names. */
    String grantSchemaResource() {
        return "grant-schema-" + resourceSuffix + ".sql";
    }

    /** What follows a table-less {@code SELECT} list: nothing, or {@code FROM DUAL}. */
    String selectWithoutTable() {
        return selectWithoutTable;
    }

    /**
     * {@code DELETE} of at most {@code ?} rows of {@code table} (primary key {@code (tenant, id)})
     * with {@code column < ?}, lowest {@code column} first. Both names are our own identifiers,
     * never user input.
     */
    String deleteBefore(String table, String column) {
        return deleteBeforeTemplate.replace("%1$s", table).replace("%2$s", column);
    }

    /**
     * The dialect of the database behind {@code metaData}, from its product name.
     *
     * @throws IllegalStateException the product is none of the supported ones
     * @throws SQLException          the driver failed to answer
     */
    static Dialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = String.valueOf(metaData.getDatabaseProductName()).toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.equals("h2")) {
            return H2;
        }
        throw new IllegalStateException("unsupported database product '" + product
                + "'; set it with JdbcConnection.withDialect if it is compatible");
    }
}
