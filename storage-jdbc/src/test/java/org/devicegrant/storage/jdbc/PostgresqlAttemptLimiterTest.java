package org.devicegrant.storage.jdbc;

/** The attempt-limiter TCK against {@link JdbcAttemptLimiter} on Postgresql. */
class PostgresqlAttemptLimiterTest extends AbstractJdbcAttemptLimiterContractTest {

    PostgresqlAttemptLimiterTest() {
        super(TestDatabase.POSTGRESQL);
    }
}
