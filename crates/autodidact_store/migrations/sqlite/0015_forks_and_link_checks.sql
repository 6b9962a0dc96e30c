-- A curriculum's page lists its public copies: an index on where copies came from.
CREATE INDEX curricula_fork_of_id_idx ON curricula (fork_of_id);

-- The last check of each evidence address (`autodidact links check`), kept so that a profile
-- says "alive, checked on …" without fetching anything while a page renders. One row per
-- address, shared by every piece of evidence that points there; 0 for no answer.
CREATE TABLE link_checks (
    url TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    alive INTEGER NOT NULL,
    checked_at INTEGER NOT NULL,
    CONSTRAINT link_checks_pkey PRIMARY KEY (url),
    CONSTRAINT link_checks_alive_check CHECK (alive IN (0, 1))
) STRICT;
CREATE INDEX evidence_url_idx ON evidence (url);
