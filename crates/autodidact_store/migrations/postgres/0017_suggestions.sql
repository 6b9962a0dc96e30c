-- An item change a copy's owner suggests to the author of the curriculum it came from: the
-- item as the copy has it (a one-item curriculum file, with its phase), a note, and the
-- author's answer. A suggestion outlives the copy it came from (the item is in its text).
CREATE TABLE suggestions (
    id BIGINT NOT NULL,
    curriculum_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    item_source TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    CONSTRAINT suggestions_pkey PRIMARY KEY (id),
    CONSTRAINT suggestions_curriculum_id_fkey FOREIGN KEY (curriculum_id) REFERENCES curricula (id) ON DELETE CASCADE,
    CONSTRAINT suggestions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT suggestions_status_check CHECK (status IN ('open', 'accepted', 'declined'))
);
CREATE INDEX suggestions_curriculum_id_created_at_idx ON suggestions (curriculum_id, created_at);
CREATE INDEX suggestions_user_id_idx ON suggestions (user_id);

INSERT INTO throttle_rules (name, max_events, window_secs) VALUES ('suggestion', 30, 86400);
