/**
 * Device-grant storage over plain JDBC for PostgreSQL, MariaDB/MySQL and H2:
 * {@link org.devicegrant.storage.jdbc.JdbcDeviceAuthorizationStore} over one table,
 * {@link org.devicegrant.storage.jdbc.JdbcGrantStore} (grants and their refresh-token hashes) over
 * two, and {@link org.devicegrant.storage.jdbc.JdbcAttemptLimiter}, a cluster-wide user-code
 * attempt limiter, over three, all reached through one
 * {@link org.devicegrant.storage.jdbc.JdbcConnection}. Their DDL ships as
 * {@code schema-<dialect>.sql}, {@code grant-schema-<dialect>.sql} and
 * {@code attempt-schema-<dialect>.sql} resources in this package. Depends on nothing but the
 * storage SPI and {@code java.sql}; the host supplies the {@link javax.sql.DataSource} and the
 * driver.
 */
package org.devicegrant.storage.jdbc;
