-- Sharing: a profile per learner with one privacy value per section, learners following
-- learners (asked, then approved), and a journal. Every value is one of the four of the
-- privacy model: private, followers, unlisted, public. A learner with no row here has every
-- section private; that is the default, not a row written at sign-up.
--
-- `curricula` and `follows` take the value "followers" too: their CHECK constraints are
-- widened in place by the migration runner (SQLite cannot alter a constraint; every stored
-- row already satisfies the wider one, so the tables need no rebuild).

CREATE TABLE profiles (
    user_id INTEGER NOT NULL,
    bio TEXT NOT NULL,
    profile TEXT NOT NULL,
    progress TEXT NOT NULL,
    heatmap TEXT NOT NULL,
    portfolio TEXT NOT NULL,
    journal TEXT NOT NULL,
    curricula TEXT NOT NULL,
    skills TEXT NOT NULL,
    -- Whether the learner's logs may count in figures across learners.
    crowd INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT profiles_pkey PRIMARY KEY (user_id),
    CONSTRAINT profiles_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT profiles_visibility_check CHECK (
        profile IN ('private', 'followers', 'unlisted', 'public')
        AND progress IN ('private', 'followers', 'unlisted', 'public')
        AND heatmap IN ('private', 'followers', 'unlisted', 'public')
        AND portfolio IN ('private', 'followers', 'unlisted', 'public')
        AND journal IN ('private', 'followers', 'unlisted', 'public')
        AND curricula IN ('private', 'followers', 'unlisted', 'public')
        AND skills IN ('private', 'followers', 'unlisted', 'public')),
    CONSTRAINT profiles_crowd_check CHECK (crowd IN (0, 1))
) STRICT;

-- Only an approved row makes a follower: a follower sees what a learner opens to followers.
CREATE TABLE learner_follows (
    follower_id INTEGER NOT NULL,
    followee_id INTEGER NOT NULL,
    approved_at INTEGER,
    created_at INTEGER NOT NULL,
    CONSTRAINT learner_follows_pkey PRIMARY KEY (follower_id, followee_id),
    CONSTRAINT learner_follows_follower_id_fkey FOREIGN KEY (follower_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT learner_follows_followee_id_fkey FOREIGN KEY (followee_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT learner_follows_not_self_check CHECK (follower_id <> followee_id)
) STRICT;
CREATE INDEX learner_follows_followee_id_idx ON learner_follows (followee_id);

-- A post may be about an item of one of its author's follows; unfollowing keeps the post.
CREATE TABLE journal_posts (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    follow_id INTEGER,
    item_id TEXT,
    visibility TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT journal_posts_pkey PRIMARY KEY (id),
    CONSTRAINT journal_posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT journal_posts_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE SET NULL,
    CONSTRAINT journal_posts_visibility_check CHECK (visibility IN ('private', 'followers', 'unlisted', 'public'))
) STRICT;
CREATE INDEX journal_posts_user_id_created_at_idx ON journal_posts (user_id, created_at);
CREATE INDEX journal_posts_follow_id_idx ON journal_posts (follow_id);

INSERT INTO throttle_rules (name, max_events, window_secs) VALUES
    ('follow_request', 50, 86400),
    ('journal_post', 30, 3600);
