-- A learner's review of an item, written from their follow: a rating in half stars, a
-- Markdown text and a spoiler-free note for the next learner. One per follow and item; the
-- reviewer's hours and whether they finished are read from their records when shown.
CREATE TABLE item_reviews (
    follow_id BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    rating BIGINT NOT NULL,
    body TEXT NOT NULL,
    tip TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT item_reviews_pkey PRIMARY KEY (follow_id, item_id),
    CONSTRAINT item_reviews_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE,
    CONSTRAINT item_reviews_rating_check CHECK (rating BETWEEN 1 AND 10)
);
-- The reviews of an item across a lineage are found from its follows (by item).
CREATE INDEX item_reviews_item_id_idx ON item_reviews (item_id, follow_id);

INSERT INTO throttle_rules (name, max_events, window_secs) VALUES ('item_review', 60, 86400);
