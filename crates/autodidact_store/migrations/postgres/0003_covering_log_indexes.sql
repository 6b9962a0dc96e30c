-- The dashboard reads minutes per day and kind for a learner, and per day and item for a
-- follow, over all their history. Indexes that hold every column those sums read answer them
-- from the index alone, in the order they group by, without touching the table or sorting.
-- They replace the narrower indexes on the same leading columns.

DROP INDEX study_logs_user_id_day_idx;
CREATE INDEX study_logs_user_id_day_kind_minutes_idx ON study_logs (user_id, day, kind, minutes);

DROP INDEX study_logs_follow_id_idx;
CREATE INDEX study_logs_follow_id_day_item_id_minutes_idx ON study_logs (follow_id, day, item_id, minutes);
