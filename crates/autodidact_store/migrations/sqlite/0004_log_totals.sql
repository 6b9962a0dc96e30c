-- Running totals of logged minutes, kept in the same transaction as every write to
-- study_logs, so the dashboard reads one small row per day however many logs a day holds:
-- per learner and day by kind, and per follow, day and item ('' for none). A follow's
-- totals go with it; its logs stay, unlinked, as before. Without rowids, SQLite keeps each
-- table ordered by its key, so a learner's or follow's days are read in one range scan.

CREATE TABLE log_days (
    user_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    learn INTEGER NOT NULL,
    build INTEGER NOT NULL,
    review INTEGER NOT NULL,
    CONSTRAINT log_days_pkey PRIMARY KEY (user_id, day),
    CONSTRAINT log_days_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

INSERT INTO log_days (user_id, day, learn, build, review)
SELECT user_id, day,
       SUM(CASE WHEN kind = 'learn' THEN minutes ELSE 0 END),
       SUM(CASE WHEN kind = 'build' THEN minutes ELSE 0 END),
       SUM(CASE WHEN kind = 'review' THEN minutes ELSE 0 END)
FROM study_logs GROUP BY user_id, day;

CREATE TABLE log_item_days (
    follow_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    item_id TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    CONSTRAINT log_item_days_pkey PRIMARY KEY (follow_id, day, item_id),
    CONSTRAINT log_item_days_follow_id_fkey FOREIGN KEY (follow_id) REFERENCES follows (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

INSERT INTO log_item_days (follow_id, day, item_id, minutes)
SELECT follow_id, day, COALESCE(item_id, ''), SUM(minutes)
FROM study_logs WHERE follow_id IS NOT NULL GROUP BY follow_id, day, COALESCE(item_id, '');
