-- The usage store's schema. One script set for SQLite and PostgreSQL: portable types only (BIGINT, INTEGER,
-- SMALLINT for booleans, DOUBLE PRECISION, TEXT). Times are epoch milliseconds, UTC.

-- One row per answered request (refused and failed ones too), kept for caravan.store.request-retention-days.
CREATE TABLE usage_requests (
    at_millis          BIGINT           NOT NULL,
    request_id         TEXT             NOT NULL,
    client             TEXT             NOT NULL,
    model              TEXT             NOT NULL,
    upstream_model     TEXT,
    credential         TEXT,
    dialect            TEXT             NOT NULL,
    endpoint           TEXT             NOT NULL,
    stream             SMALLINT         NOT NULL,
    status             INTEGER          NOT NULL,
    attempts           INTEGER          NOT NULL,
    input_tokens       BIGINT           NOT NULL,
    output_tokens      BIGINT           NOT NULL,
    cache_read_tokens  BIGINT           NOT NULL,
    cache_write_tokens BIGINT           NOT NULL,
    reasoning_tokens   BIGINT           NOT NULL,
    ttfb_millis        DOUBLE PRECISION NOT NULL,
    total_millis       DOUBLE PRECISION NOT NULL
);
CREATE INDEX usage_requests_at ON usage_requests (at_millis);

-- The aggregates queries read, per bucket start x client x model x credential ('' for none).
-- Minutes are kept for caravan.store.minute-retention-days; hours and days are kept.
CREATE TABLE usage_minutes (
    bucket_start       BIGINT NOT NULL,
    client             TEXT   NOT NULL,
    model              TEXT   NOT NULL,
    credential         TEXT   NOT NULL,
    requests           BIGINT NOT NULL,
    errors             BIGINT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    PRIMARY KEY (bucket_start, client, model, credential)
);

CREATE TABLE usage_hours (
    bucket_start       BIGINT NOT NULL,
    client             TEXT   NOT NULL,
    model              TEXT   NOT NULL,
    credential         TEXT   NOT NULL,
    requests           BIGINT NOT NULL,
    errors             BIGINT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    PRIMARY KEY (bucket_start, client, model, credential)
);

CREATE TABLE usage_days (
    bucket_start       BIGINT NOT NULL,
    client             TEXT   NOT NULL,
    model              TEXT   NOT NULL,
    credential         TEXT   NOT NULL,
    requests           BIGINT NOT NULL,
    errors             BIGINT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    PRIMARY KEY (bucket_start, client, model, credential)
);

-- Client keys created at run time: only the key's SHA-256 is kept. models: one pattern a line.
CREATE TABLE client_keys (
    name              TEXT     NOT NULL PRIMARY KEY,
    key_sha256        TEXT     NOT NULL,
    models            TEXT     NOT NULL,
    limits            TEXT,
    expires_at_millis BIGINT,
    enabled           SMALLINT NOT NULL,
    created_at_millis BIGINT   NOT NULL
);
