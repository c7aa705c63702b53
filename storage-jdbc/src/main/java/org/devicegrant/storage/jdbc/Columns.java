package org.devicegrant.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * How the JDBC stores write and read their nullable columns (instants as epoch milliseconds), and the
 * column widths their schemas give keys, client ids and subjects. Shared by every table of the module.
 */
final class Columns {

    /** Width of ids, tenants and hashes. */
    static final int MAX_KEY_LENGTH = 128;
    /** Width of client ids. */
    static final int MAX_CLIENT_ID_LENGTH = 255;
    /** Width of subjects. */
    static final int MAX_SUBJECT_LENGTH = 1024;

    private Columns() {
    }

    static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value.toEpochMilli());
        }
    }

    static Instant getInstant(ResultSet row, int index) throws SQLException {
        long millis = row.getLong(index);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** @throws IllegalArgumentException {@code value} is wider than its column */
    static void requireLength(String value, int max, String name) {
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " must have at most " + max + " characters for the JDBC store");
        }
    }
}
