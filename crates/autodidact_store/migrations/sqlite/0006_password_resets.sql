-- One-time links to set a new password: only the token's SHA-256 is kept, each works once
-- and expires, and every one of a user's links goes when one is used or the user is deleted.

CREATE TABLE password_resets (
    token_hash TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    CONSTRAINT password_resets_pkey PRIMARY KEY (token_hash),
    CONSTRAINT password_resets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
