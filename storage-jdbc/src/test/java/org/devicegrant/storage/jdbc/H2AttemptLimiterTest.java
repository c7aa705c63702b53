package org.devicegrant.storage.jdbc;

/** The attempt-limiter TCK against {@link JdbcAttemptLimiter} on H2. */
class H2AttemptLimiterTest extends AbstractJdbcAttemptLimiterContractTest {

    H2AttemptLimiterTest() {
        super(TestDatabase.H2);
    }
}
