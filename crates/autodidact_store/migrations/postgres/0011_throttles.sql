-- The throttles on the paths that can be abused (signing in, checking a current password,
-- signing up, asking for a link to set a password). The rules are kept here, not in the code,
-- so that an operator changes them without a release (`autodidact limits`) and every node reads
-- the same; the events are counted per key over a sliding window, and a key's events older
-- than its window are deleted as new ones are taken.
CREATE TABLE throttle_rules (
    name TEXT NOT NULL,
    max_events INTEGER NOT NULL,
    window_secs BIGINT NOT NULL,
    CONSTRAINT throttle_rules_pkey PRIMARY KEY (name),
    CONSTRAINT throttle_rules_max_events_check CHECK (max_events BETWEEN 1 AND 1000000),
    CONSTRAINT throttle_rules_window_secs_check CHECK (window_secs BETWEEN 1 AND 2592000)
);
INSERT INTO throttle_rules (name, max_events, window_secs) VALUES
    ('sign_in_pair', 5, 900),
    ('sign_in_account', 50, 3600),
    ('sign_in_address', 50, 900),
    ('password_check', 5, 900),
    ('sign_up_address', 10, 3600),
    ('reset_account', 3, 900),
    ('reset_address', 10, 900);

CREATE TABLE throttle_events (
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    at BIGINT NOT NULL,
    CONSTRAINT throttle_events_pkey PRIMARY KEY (id)
);
CREATE INDEX throttle_events_name_key_at_idx ON throttle_events (name, key, at);

-- The sign-in failures of the first schema, counted per account or per address apart; the
-- throttles above replace them.
DROP TABLE login_failures;
