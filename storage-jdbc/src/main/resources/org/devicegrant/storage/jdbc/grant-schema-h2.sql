-- devicegrant grants and their refresh-token hashes (JdbcGrantStore), H2 2.x.
-- Adopt as is in Flyway/Liquibase, or let JdbcGrantStore.createSchema() run it.
-- Times are epoch milliseconds (UTC). Refresh tokens are stored only as hashes.
-- devicegrant_grant: one row per grant, primary key (tenant, id). refresh_token_hash is the
-- current refresh token's hash, or NULL. purge_at is the earlier of expires_at and revoked_at:
-- deleteExpired removes grants with purge_at before its cutoff, oldest first. subject_key is the
-- SHA-256 of subject, base64url: the index key of the list by subject, since a subject may be
-- longer than an index entry may be.
-- devicegrant_grant_refresh_token: every refresh-token hash a grant ever held, unique per tenant;
-- retired_at is NULL while the hash is the grant's current one, else when rotation (or revocation)
-- retired it. Its rows go with their grant (ON DELETE CASCADE).
-- scopes: each scope followed by one space; device_metadata: each entry as key=value followed
-- by one space; '%', ' ', '=' and control characters as %XX.
CREATE TABLE IF NOT EXISTS devicegrant_grant (
    id                 VARCHAR(128)  NOT NULL,
    tenant             VARCHAR(128)  NOT NULL,
    authorization_id   VARCHAR(128)  NOT NULL,
    client_id          VARCHAR(255)  NOT NULL,
    subject            VARCHAR(1024) NOT NULL,
    scopes             TEXT          NOT NULL,
    claims             TEXT,
    auth_time          BIGINT,
    device_metadata    TEXT          NOT NULL,
    created_at         BIGINT        NOT NULL,
    last_used_at       BIGINT        NOT NULL,
    expires_at         BIGINT        NOT NULL,
    status             VARCHAR(16)   NOT NULL,
    revoked_at         BIGINT,
    refresh_token_hash VARCHAR(128),
    dpop_jkt           VARCHAR(128),
    version            BIGINT        NOT NULL,
    purge_at           BIGINT        NOT NULL,
    subject_key        VARCHAR(64)   NOT NULL,
    CONSTRAINT devicegrant_grant_pk PRIMARY KEY (tenant, id),
    CONSTRAINT devicegrant_grant_status_ck CHECK (status IN ('ACTIVE', 'REVOKED'))
);
CREATE INDEX IF NOT EXISTS devicegrant_grant_subject_ix
    ON devicegrant_grant (tenant, subject_key, last_used_at);
CREATE INDEX IF NOT EXISTS devicegrant_grant_purge_ix
    ON devicegrant_grant (purge_at);
CREATE TABLE IF NOT EXISTS devicegrant_grant_refresh_token (
    tenant             VARCHAR(128)  NOT NULL,
    token_hash         VARCHAR(128)  NOT NULL,
    grant_id           VARCHAR(128)  NOT NULL,
    retired_at         BIGINT,
    CONSTRAINT devicegrant_grant_refresh_token_pk PRIMARY KEY (tenant, token_hash),
    CONSTRAINT devicegrant_grant_refresh_token_fk FOREIGN KEY (tenant, grant_id)
        REFERENCES devicegrant_grant (tenant, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS devicegrant_grant_refresh_token_grant_ix
    ON devicegrant_grant_refresh_token (tenant, grant_id);
