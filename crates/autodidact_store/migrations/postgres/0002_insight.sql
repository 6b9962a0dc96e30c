-- Insight and accountability: the learner's pacing settings, re-plans that keep history,
-- dismissed warnings, commitments and spaced review. Same tables, columns and constraint
-- names in both editions.

ALTER TABLE users ADD COLUMN streak_min_minutes INTEGER NOT NULL DEFAULT 15
    CONSTRAINT users_streak_min_minutes_check CHECK (streak_min_minutes BETWEEN 1 AND 600);
ALTER TABLE users ADD COLUMN rest_days_per_week INTEGER NOT NULL DEFAULT 1
    CONSTRAINT users_rest_days_per_week_check CHECK (rest_days_per_week BETWEEN 0 AND 3);
ALTER TABLE users ADD COLUMN ceiling_percent INTEGER NOT NULL DEFAULT 150
    CONSTRAINT users_ceiling_percent_check CHECK (ceiling_percent BETWEEN 100 AND 400);
ALTER TABLE users ADD COLUMN making_threshold_percent INTEGER NOT NULL DEFAULT 20
    CONSTRAINT users_making_threshold_percent_check CHECK (making_threshold_percent BETWEEN 0 AND 100);
ALTER TABLE users ADD COLUMN loosen_delay_days INTEGER NOT NULL DEFAULT 7
    CONSTRAINT users_loosen_delay_days_check CHECK (loosen_delay_days BETWEEN 0 AND 60);

-- The plan in force was made when these items (one id per line) were finished and this many
-- estimated minutes were earned; both stay empty/zero until the first re-plan.
ALTER TABLE follows ADD COLUMN plan_done TEXT NOT NULL DEFAULT '';
ALTER TABLE follows ADD COLUMN plan_base_minutes INTEGER NOT NULL DEFAULT 0;

-- Plans replaced by a re-plan, numbered from 1 per follow, so the burn-up can show them.
CREATE TABLE plan_revisions (
    follow_id BIGINT NOT NULL,
    number INTEGER NOT NULL,
    budget TEXT NOT NULL,
    start_date TEXT NOT NULL,
    breaks TEXT NOT NULL,
    done_items TEXT NOT NULL,
    base_minutes INTEGER NOT NULL,
    replaced_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT plan_revisions_pkey PRIMARY KEY (follow_id, number),
    CONSTRAINT plan_revisions_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE
);

-- Warnings (the burnout guard) a learner has dismissed, by a key per episode.
CREATE TABLE dismissals (
    user_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT dismissals_pkey PRIMARY KEY (user_id, key),
    CONSTRAINT dismissals_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- Every request to change the weekly commitment, never deleted: the honest record.
-- A NULL weekly_minutes pauses it.
CREATE TABLE commitments (
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    number INTEGER NOT NULL,
    requested_on TEXT NOT NULL,
    weekly_minutes INTEGER,
    created_at BIGINT NOT NULL,
    CONSTRAINT commitments_pkey PRIMARY KEY (id),
    CONSTRAINT commitments_user_id_number_key UNIQUE (user_id, number),
    CONSTRAINT commitments_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT commitments_weekly_minutes_check CHECK (weekly_minutes > 0)
);

-- Items marked worth revisiting: the review algorithm's state (JSON) and the next due day.
CREATE TABLE reviews (
    follow_id BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    state TEXT NOT NULL,
    due TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT reviews_pkey PRIMARY KEY (follow_id, item_id),
    CONSTRAINT reviews_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE
);

-- Graded review sessions; unmarking an item deletes its sessions in the same transaction.
CREATE TABLE review_events (
    id BIGINT NOT NULL,
    follow_id BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    grade TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT review_events_pkey PRIMARY KEY (id),
    CONSTRAINT review_events_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE,
    CONSTRAINT review_events_grade_check CHECK (grade IN ('again', 'hard', 'good', 'easy'))
);
CREATE INDEX review_events_follow_id_item_id_idx ON review_events (follow_id, item_id);
