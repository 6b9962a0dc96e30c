-- The first schema, SQLite edition. migrations/postgres/0001_initial.sql has the same tables,
-- columns, nullability and constraint names; the schema-parity test compares the two.
--
-- Conventions, for sqlx's `Any` driver and for the error mapping:
-- * ids are random positive 63-bit integers made in Rust; timestamps are unix seconds;
--   dates are ISO text (`2026-01-05`); enums are lowercase text with a CHECK.
-- * constraints are named as PostgreSQL would name them ({table}_pkey, {table}_{columns}_key,
--   {table}_{column}_fkey, {table}_{column}_check): SQLite reports a unique violation by its
--   columns only, and the store rebuilds the name from them.
-- * STRICT tables, so that a value of the wrong type is refused rather than stored.

CREATE TABLE users (
    id INTEGER NOT NULL,
    handle TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    timezone TEXT NOT NULL,
    -- Monday = 0 … Sunday = 6.
    week_start INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_handle_key UNIQUE (handle),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_week_start_check CHECK (week_start BETWEEN 0 AND 6)
) STRICT;

-- The cookie holds a random token; only its hash is stored. `id` is the public name of a
-- session on the sessions page.
CREATE TABLE sessions (
    id INTEGER NOT NULL,
    token_hash TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- One row per failed sign-in, per key (an account or an IP); counted over a sliding window,
-- and rows older than the window are deleted as new ones arrive.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key_at_idx ON login_failures (key, at);

CREATE TABLE curricula (
    id INTEGER NOT NULL,
    owner_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    visibility TEXT NOT NULL,
    -- The curriculum's TOML file, which is the truth; `title` is a copy for listings.
    source TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT curricula_pkey PRIMARY KEY (id),
    CONSTRAINT curricula_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT curricula_visibility_check CHECK (visibility IN ('private', 'unlisted', 'public'))
) STRICT;
CREATE INDEX curricula_owner_id_idx ON curricula (owner_id);

-- A user following a curriculum, with their plan settings. Follows by user are served by the
-- unique index on (user_id, curriculum_id).
CREATE TABLE follows (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    curriculum_id INTEGER NOT NULL,
    budget TEXT NOT NULL,
    start_date TEXT NOT NULL,
    -- One break per line, as `Break` parses them.
    breaks TEXT NOT NULL,
    visibility TEXT NOT NULL,
    calendar_token_hash TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT follows_pkey PRIMARY KEY (id),
    CONSTRAINT follows_user_id_curriculum_id_key UNIQUE (user_id, curriculum_id),
    CONSTRAINT follows_calendar_token_hash_key UNIQUE (calendar_token_hash),
    CONSTRAINT follows_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT follows_curriculum_id_fkey FOREIGN KEY (curriculum_id) REFERENCES curricula (id) ON DELETE CASCADE,
    CONSTRAINT follows_visibility_check CHECK (visibility IN ('private', 'unlisted', 'public'))
) STRICT;
CREATE INDEX follows_curriculum_id_idx ON follows (curriculum_id);

-- A card's state on a follow's board; items without a row are `todo`.
CREATE TABLE item_states (
    follow_id INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    status TEXT NOT NULL,
    notes TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT item_states_pkey PRIMARY KEY (follow_id, item_id),
    CONSTRAINT item_states_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE,
    CONSTRAINT item_states_status_check CHECK (status IN ('todo', 'doing', 'done', 'skipped'))
) STRICT;

CREATE TABLE evidence (
    id INTEGER NOT NULL,
    follow_id INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT evidence_pkey PRIMARY KEY (id),
    CONSTRAINT evidence_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE,
    CONSTRAINT evidence_kind_check CHECK (kind IN ('repository', 'notebook', 'post', 'certificate', 'other'))
) STRICT;
CREATE INDEX evidence_follow_id_idx ON evidence (follow_id);

-- Time spent studying. A log outlives the follow it was for: the link is cleared, the time kept.
CREATE TABLE study_logs (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    follow_id INTEGER,
    item_id TEXT,
    minutes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    note TEXT NOT NULL,
    -- A client's key for retries; unique per user, and NULLs never collide.
    idempotency_key TEXT,
    created_at INTEGER NOT NULL,
    CONSTRAINT study_logs_pkey PRIMARY KEY (id),
    CONSTRAINT study_logs_user_id_idempotency_key_key UNIQUE (user_id, idempotency_key),
    CONSTRAINT study_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT study_logs_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE SET NULL,
    CONSTRAINT study_logs_minutes_check CHECK (minutes > 0),
    CONSTRAINT study_logs_kind_check CHECK (kind IN ('learn', 'build', 'review'))
) STRICT;
CREATE INDEX study_logs_user_id_day_idx ON study_logs (user_id, day);
CREATE INDEX study_logs_follow_id_idx ON study_logs (follow_id);

CREATE TABLE api_tokens (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER,
    CONSTRAINT api_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT api_tokens_scope_check CHECK (scope IN ('read', 'read-write'))
) STRICT;
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
