-- Sign-ups waiting for their email address to be confirmed, on a server that sends email: the
-- answer to a sign-up is then the same whether or not the address is taken, and the account
-- is made only when the emailed link is followed. Only the link's hash is kept; a row goes
-- when it is used, and expired ones are swept as new ones arrive.
CREATE TABLE pending_sign_ups (
    token_hash TEXT NOT NULL,
    handle TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT pending_sign_ups_pkey PRIMARY KEY (token_hash)
);
CREATE INDEX pending_sign_ups_expires_at_idx ON pending_sign_ups (expires_at);
