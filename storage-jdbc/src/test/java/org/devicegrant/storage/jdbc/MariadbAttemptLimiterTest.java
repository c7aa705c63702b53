package org.devicegrant.storage.jdbc;

/** The attempt-limiter TCK against {@link JdbcAttemptLimiter} on Mariadb. */
class MariadbAttemptLimiterTest extends AbstractJdbcAttemptLimiterContractTest {

    MariadbAttemptLimiterTest() {
        super(TestDatabase.MARIADB);
    }
}
