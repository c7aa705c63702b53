-- devicegrant device authorizations, MariaDB 10.5+ and MySQL 8 (InnoDB).
-- Adopt as is in Flyway/Liquibase, or let JdbcDeviceAuthorizationStore.createSchema() run it.
-- Times are epoch milliseconds (UTC). Codes are stored only as hashes.
-- Binary collation: hashes, ids and tenants compare case-sensitively. (PAD SPACE: values that
-- differ only by trailing spaces compare equal; devicegrant never produces such values.)
-- active_user_code_hash holds the user-code hash while the record owns its user code; a create
-- that takes over the code of an expired holder sets the holder's column to NULL. Its unique
-- index is what makes user codes unique among unexpired records (NULLs never collide).
-- requested_scopes and granted_scopes: each scope followed by one space; device_metadata: each
-- entry as key=value followed by one space; '%', ' ', '=' and control characters as %XX.
-- Indexes are declared inline because MySQL has no CREATE INDEX IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS devicegrant_authorization (
    id                    VARCHAR(128)  NOT NULL,
    tenant                VARCHAR(128)  NOT NULL,
    device_code_hash      VARCHAR(128)  NOT NULL,
    user_code_hash        VARCHAR(128)  NOT NULL,
    active_user_code_hash VARCHAR(128),
    client_id             VARCHAR(255)  NOT NULL,
    requested_scopes      TEXT          NOT NULL,
    device_metadata       MEDIUMTEXT    NOT NULL,
    status                VARCHAR(16)   NOT NULL,
    subject               VARCHAR(1024),
    granted_scopes        TEXT          NOT NULL,
    claims                MEDIUMTEXT,
    auth_time             BIGINT,
    created_at            BIGINT        NOT NULL,
    expires_at            BIGINT        NOT NULL,
    interval_ms           BIGINT        NOT NULL,
    last_polled_at        BIGINT,
    version               BIGINT        NOT NULL,
    CONSTRAINT devicegrant_authorization_pk PRIMARY KEY (tenant, id),
    CONSTRAINT devicegrant_authorization_status_ck CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED')),
    UNIQUE INDEX devicegrant_authorization_dch_uq (tenant, device_code_hash),
    UNIQUE INDEX devicegrant_authorization_uch_uq (tenant, active_user_code_hash),
    INDEX devicegrant_authorization_exp_ix (expires_at),
    INDEX devicegrant_authorization_pending_ix (tenant, status, expires_at),
    INDEX devicegrant_authorization_client_ix (tenant, client_id, status, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
