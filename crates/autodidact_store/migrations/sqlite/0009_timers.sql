-- A running timer per learner, kept on the server so it survives a closed tab or another
-- device. Stopping it logs the time through the same rules as any log; the row goes then.
CREATE TABLE timers (
    user_id INTEGER NOT NULL,
    follow_id INTEGER,
    item_id TEXT,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    CONSTRAINT timers_pkey PRIMARY KEY (user_id),
    CONSTRAINT timers_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT timers_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE SET NULL,
    CONSTRAINT timers_kind_check CHECK (kind IN ('learn', 'build', 'review'))
) STRICT;
CREATE INDEX timers_follow_id_idx ON timers (follow_id);
