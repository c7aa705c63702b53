package org.devicegrant.storage.jdbc;

import java.util.Collections;

/**
 * The SQL text of every store operation for one dialect and table. Immutable and thread-safe.
 * Column order of every {@code SELECT} and {@code INSERT} is {@link #COLUMNS}.
 */
final class Statements {

    static final String COLUMNS = "id, tenant, device_code_hash, user_code_hash, active_user_code_hash, client_id, "
            + "requested_scopes, device_metadata, status, subject, granted_scopes, claims, auth_time, created_at, "
            + "expires_at, interval_ms, last_polled_at, version";
    static final int COLUMN_COUNT = 18;

    final Dialect dialect;
    final String insert;
    final String insertBelowPendingCap;
    final String releaseExpiredUserCodeHolder;
    final String selectByDeviceCodeHash;
    final String selectByUserCodeHash;
    final String selectById;
    final String countIdOrDeviceCodeHash;
    final String compareAndSet;
    final String deleteExpired;
    final String countPending;
    final String countPendingOfClient;

    Statements(Dialect dialect, String table) {
        this.dialect = dialect;
        String parameters = String.join(", ", Collections.nCopies(COLUMN_COUNT, "?"));
        String pendingOfTenant = "tenant = ? AND status = 'PENDING' AND expires_at > ?";
        insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + parameters + ")";
        insertBelowPendingCap = "INSERT INTO " + table + " (" + COLUMNS + ") SELECT " + parameters
                + dialect.selectWithoutTable() + " WHERE (SELECT COUNT(*) FROM " + table + " WHERE "
                + pendingOfTenant + ") < ?";
        releaseExpiredUserCodeHolder = "UPDATE " + table + " SET active_user_code_hash = NULL"
                + " WHERE tenant = ? AND active_user_code_hash = ? AND expires_at <= ?";
        String select = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant = ? AND ";
        selectByDeviceCodeHash = select + "device_code_hash = ?";
        selectByUserCodeHash = select + "active_user_code_hash = ?";
        selectById = select + "id = ?";
        countIdOrDeviceCodeHash = "SELECT COUNT(*) FROM " + table
                + " WHERE tenant = ? AND (id = ? OR device_code_hash = ?)";
        compareAndSet = "UPDATE " + table + " SET requested_scopes = ?, device_metadata = ?, status = ?, subject = ?,"
                + " granted_scopes = ?, claims = ?, auth_time = ?, interval_ms = ?, last_polled_at = ?, version = ?"
                + " WHERE tenant = ? AND id = ? AND version = ? AND device_code_hash = ? AND user_code_hash = ?"
                + " AND client_id = ? AND created_at = ? AND expires_at = ?";
        deleteExpired = dialect.deleteBefore(table, "expires_at");
        countPending = "SELECT COUNT(*) FROM " + table + " WHERE " + pendingOfTenant;
        countPendingOfClient = "SELECT COUNT(*) FROM " + table
                + " WHERE tenant = ? AND client_id = ? AND status = 'PENDING' AND expires_at > ?";
    }
}
