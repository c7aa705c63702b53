-- devicegrant user-code attempt budgets (JdbcAttemptLimiter), PostgreSQL 12+.
-- Adopt as is in Flyway/Liquibase, or let JdbcAttemptLimiter.createSchema() run it.
-- Times are epoch milliseconds (UTC). devicegrant_attempt_tenant has one row per tenant: the
-- row every decision of that tenant locks (SELECT ... FOR UPDATE), which makes the tenant's
-- global budget exact across nodes. devicegrant_attempt_failure holds the charged failures,
-- counted per instant.
CREATE TABLE IF NOT EXISTS devicegrant_attempt_tenant (
    tenant        VARCHAR(128) NOT NULL,
    CONSTRAINT devicegrant_attempt_tenant_pk PRIMARY KEY (tenant)
);
CREATE TABLE IF NOT EXISTS devicegrant_attempt_key (
    tenant        VARCHAR(128) NOT NULL,
    attempt_key   VARCHAR(255) NOT NULL,
    locked_until  BIGINT,
    burst_floor   BIGINT,
    lockouts      INT          NOT NULL,
    last_activity BIGINT       NOT NULL,
    CONSTRAINT devicegrant_attempt_key_pk PRIMARY KEY (tenant, attempt_key)
);
CREATE INDEX IF NOT EXISTS devicegrant_attempt_key_activity_ix
    ON devicegrant_attempt_key (last_activity);
CREATE TABLE IF NOT EXISTS devicegrant_attempt_failure (
    tenant        VARCHAR(128) NOT NULL,
    attempt_key   VARCHAR(255) NOT NULL,
    failed_at     BIGINT       NOT NULL,
    charges       INT          NOT NULL,
    CONSTRAINT devicegrant_attempt_failure_pk PRIMARY KEY (tenant, attempt_key, failed_at)
);
CREATE INDEX IF NOT EXISTS devicegrant_attempt_failure_tenant_ix
    ON devicegrant_attempt_failure (tenant, failed_at);
