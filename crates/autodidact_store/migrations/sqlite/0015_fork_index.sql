-- A curriculum's page lists its public copies: an index on where copies came from.
CREATE INDEX curricula_fork_of_id_idx ON curricula (fork_of_id);
