-- The first schema, PostgreSQL edition. migrations/sqlite/0001_initial.sql has the same tables,
-- columns, nullability and constraint names; the schema-parity test compares the two.
--
-- Conventions, for sqlx's `Any` driver and for the error mapping:
-- * ids are random positive 63-bit integers made in Rust; timestamps are unix seconds;
--   dates are ISO text (`2026-01-05`); enums are lowercase text with a CHECK.
-- * constraints are named as PostgreSQL would name them ({table}_pkey, {table}_{columns}_key,
--   {table}_{column}_fkey, {table}_{column}_check): SQLite reports a unique violation by its
--   columns only, and the store rebuilds the name from them.
-- * BIGINT for ids and timestamps, INTEGER for small counts (so that SUM gives a BIGINT,
--   which `Any` can decode, rather than a NUMERIC).

CREATE TABLE users (
    id BIGINT NOT NULL,
    handle TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    timezone TEXT NOT NULL,
    -- Monday = 0 … Sunday = 6.
    week_start INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_handle_key UNIQUE (handle),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_week_start_check CHECK (week_start BETWEEN 0 AND 6)
);

-- The cookie holds a random token; only its hash is stored. `id` is the public name of a
-- session on the sessions page.
CREATE TABLE sessions (
    id BIGINT NOT NULL,
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- One row per failed sign-in, per key (an account or an IP); counted over a sliding window,
-- and rows older than the window are deleted as new ones arrive.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at_idx ON login_failures (key, at);

CREATE TABLE curricula (
    id BIGINT NOT NULL,
    owner_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    visibility TEXT NOT NULL,
    -- The curriculum's TOML file, which is the truth; `title` is a copy for listings.
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT curricula_pkey PRIMARY KEY (id),
    CONSTRAINT curricula_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT curricula_visibility_check CHECK (visibility IN ('private', 'unlisted', 'public'))
);
CREATE INDEX curricula_owner_id_idx ON curricula (owner_id);

-- A user following a curriculum, with their plan settings. Follows by user are served by the
-- unique index on (user_id, curriculum_id).
CREATE TABLE follows (
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    curriculum_id BIGINT NOT NULL,
    budget TEXT NOT NULL,
    start_date TEXT NOT NULL,
    -- One break per line, as `Break` parses them.
    breaks TEXT NOT NULL,
    visibility TEXT NOT NULL,
    calendar_token_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT follows_pkey PRIMARY KEY (id),
    CONSTRAINT follows_user_id_curriculum_id_key UNIQUE (user_id, curriculum_id),
    CONSTRAINT follows_calendar_token_hash_key UNIQUE (calendar_token_hash),
    CONSTRAINT follows_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT follows_curriculum_id_fkey FOREIGN KEY (curriculum_id) REFERENCES curricula (id) ON DELETE CASCADE,
    CONSTRAINT follows_visibility_check CHECK (visibility IN ('private', 'unlisted', 'public'))
);
CREATE INDEX follows_curriculum_id_idx ON follows (curriculum_id);

-- A card's state on a follow's board; items without a row are `todo`.
CREATE TABLE item_states (
    follow_id BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    status TEXT NOT NULL,
    notes TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT item_states_pkey PRIMARY KEY (follow_id, item_id),
    CONSTRAINT item_states_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE,
    CONSTRAINT item_states_status_check CHECK (status IN ('todo', 'doing', 'done', 'skipped'))
);

CREATE TABLE evidence (
    id BIGINT NOT NULL,
    follow_id BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT evidence_pkey PRIMARY KEY (id),
    CONSTRAINT evidence_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE,
    CONSTRAINT evidence_kind_check CHECK (kind IN ('repository', 'notebook', 'post', 'certificate', 'other'))
);
CREATE INDEX evidence_follow_id_idx ON evidence (follow_id);

-- Time spent studying. A log outlives the follow it was for: the link is cleared, the time kept.
CREATE TABLE study_logs (
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    follow_id BIGINT,
    item_id TEXT,
    minutes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    note TEXT NOT NULL,
    -- A client's key for retries; unique per user, and NULLs never collide.
    idempotency_key TEXT,
    created_at BIGINT NOT NULL,
    CONSTRAINT study_logs_pkey PRIMARY KEY (id),
    CONSTRAINT study_logs_user_id_idempotency_key_key UNIQUE (user_id, idempotency_key),
    CONSTRAINT study_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT study_logs_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE SET NULL,
    CONSTRAINT study_logs_minutes_check CHECK (minutes > 0),
    CONSTRAINT study_logs_kind_check CHECK (kind IN ('learn', 'build', 'review'))
);
CREATE INDEX study_logs_user_id_day_idx ON study_logs (user_id, day);
CREATE INDEX study_logs_follow_id_idx ON study_logs (follow_id);

CREATE TABLE api_tokens (
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    CONSTRAINT api_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT api_tokens_scope_check CHECK (scope IN ('read', 'read-write'))
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
