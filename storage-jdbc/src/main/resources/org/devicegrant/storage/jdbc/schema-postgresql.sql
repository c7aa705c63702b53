-- devicegrant device authorizations, PostgreSQL 12+.
-- Adopt as is in Flyway/Liquibase, or let JdbcDeviceAuthorizationStore.createSchema() run it.
-- Times are epoch milliseconds (UTC). Codes are stored only as hashes.
-- active_user_code_hash holds the user-code hash while the record owns its user code; a create
-- that takes over the code of an expired holder sets the holder's column to NULL. Its unique
-- index is what makes user codes unique among unexpired records (NULLs never collide).
-- requested_scopes and granted_scopes: each scope followed by one space; device_metadata: each
-- entry as key=value followed by one space; '%', ' ', '=' and control characters as %XX.
CREATE TABLE IF NOT EXISTS devicegrant_authorization (
    id                    VARCHAR(128)  NOT NULL,
    tenant                VARCHAR(128)  NOT NULL,
    device_code_hash      VARCHAR(128)  NOT NULL,
    user_code_hash        VARCHAR(128)  NOT NULL,
    active_user_code_hash VARCHAR(128),
    client_id             VARCHAR(255)  NOT NULL,
    requested_scopes      TEXT          NOT NULL,
    device_metadata       TEXT          NOT NULL,
    status                VARCHAR(16)   NOT NULL,
    subject               VARCHAR(1024),
    granted_scopes        TEXT          NOT NULL,
    claims                TEXT,
    auth_time             BIGINT,
    created_at            BIGINT        NOT NULL,
    expires_at            BIGINT        NOT NULL,
    interval_ms           BIGINT        NOT NULL,
    last_polled_at        BIGINT,
    version               BIGINT        NOT NULL,
    CONSTRAINT devicegrant_authorization_pk PRIMARY KEY (tenant, id),
    CONSTRAINT devicegrant_authorization_status_ck CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED'))
);
CREATE UNIQUE INDEX IF NOT EXISTS devicegrant_authorization_dch_uq
    ON devicegrant_authorization (tenant, device_code_hash);
CREATE UNIQUE INDEX IF NOT EXISTS devicegrant_authorization_uch_uq
    ON devicegrant_authorization (tenant, active_user_code_hash);
CREATE INDEX IF NOT EXISTS devicegrant_authorization_exp_ix
    ON devicegrant_authorization (expires_at);
CREATE INDEX IF NOT EXISTS devicegrant_authorization_pending_ix
    ON devicegrant_authorization (tenant, status, expires_at);
CREATE INDEX IF NOT EXISTS devicegrant_authorization_client_ix
    ON devicegrant_authorization (tenant, client_id, status, expires_at);
