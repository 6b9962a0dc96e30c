-- Your own copy of what you follow: every curriculum counts its versions, and a copy keeps
-- where it came from (a shipped template, or another curriculum at a version, with that
-- version's text as the base a later pull of upstream changes will compare against).
-- The source is not a foreign key: a copy outlives the curriculum it came from.

ALTER TABLE curricula ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE curricula ADD COLUMN template_id TEXT;
ALTER TABLE curricula ADD COLUMN fork_of_id INTEGER;
ALTER TABLE curricula ADD COLUMN fork_of_version INTEGER;
ALTER TABLE curricula ADD COLUMN fork_of_owner_id INTEGER;
ALTER TABLE curricula ADD COLUMN fork_of_owner_handle TEXT;
ALTER TABLE curricula ADD COLUMN fork_of_title TEXT;
ALTER TABLE curricula ADD COLUMN fork_base TEXT;
CREATE INDEX curricula_owner_id_fork_of_id_idx ON curricula (owner_id, fork_of_id);

-- Every follow of someone else's curriculum becomes a follow of the follower's own copy of it,
-- as it reads today, so that the owner's later edits, privacy and deletion never reach the
-- follower's plan, board, notes, evidence, logs or reviews. The copy takes the follow's id
-- (random like every id, and a follow has one copy), and the follow keeps its id and so every
-- row that hangs off it.
INSERT INTO curricula
    (id, owner_id, title, visibility, source, created_at, updated_at, version,
     fork_of_id, fork_of_version, fork_of_owner_id, fork_of_owner_handle, fork_of_title, fork_base)
SELECT f.id, f.user_id, c.title, 'private', c.source, f.created_at, f.created_at, 1,
       c.id, c.version, c.owner_id, u.handle, c.title, c.source
FROM follows f
JOIN curricula c ON c.id = f.curriculum_id
JOIN users u ON u.id = c.owner_id
WHERE f.user_id <> c.owner_id;

UPDATE follows SET curriculum_id = id
WHERE EXISTS (
    SELECT 1 FROM curricula mine
    WHERE mine.id = follows.id
      AND mine.owner_id = follows.user_id
      AND mine.fork_of_id = follows.curriculum_id
);
