-- A version number per learner, raised by the database itself in the same transaction as any
-- change to what the learner's pages show: their logs, follows, item states, plans, reviews,
-- commitments, dismissals, timer and settings, and the curricula they follow. A node keeps
-- derived views (the dashboard, the week, the quick log's catalog) keyed by this number and
-- recomputes one when the number it reads with the session differs, so every node sees every
-- write at once. Triggers, not code, raise it: no write path can forget to.
--
-- The running totals (log_days, log_item_days) change only with study_logs, which raises it.
ALTER TABLE users ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;

-- A change to the learner's own row (settings, name) raises the number as it is written.
CREATE FUNCTION users_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.data_version = OLD.data_version THEN
        NEW.data_version := OLD.data_version + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER users_data_version BEFORE UPDATE ON users
FOR EACH ROW EXECUTE FUNCTION users_data_version();

-- Rows that name their learner.
CREATE FUNCTION data_version_by_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
    ELSE
        UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END;
$$;

-- Rows that name a follow, whose learner is the follow's.
CREATE FUNCTION data_version_by_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE users SET data_version = data_version + 1
        WHERE id = (SELECT user_id FROM follows WHERE id = OLD.follow_id);
    ELSE
        UPDATE users SET data_version = data_version + 1
        WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
    END IF;
    RETURN NULL;
END;
$$;

-- An edit of a curriculum changes the pages of everyone who follows it.
CREATE FUNCTION data_version_by_curriculum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT user_id FROM follows WHERE curriculum_id = NEW.id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER study_logs_data_version AFTER INSERT OR UPDATE OR DELETE ON study_logs
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();
CREATE TRIGGER follows_data_version AFTER INSERT OR UPDATE OR DELETE ON follows
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();
CREATE TRIGGER dismissals_data_version AFTER INSERT OR UPDATE OR DELETE ON dismissals
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();
CREATE TRIGGER commitments_data_version AFTER INSERT OR UPDATE OR DELETE ON commitments
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();
CREATE TRIGGER timers_data_version AFTER INSERT OR UPDATE OR DELETE ON timers
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();

CREATE TRIGGER item_states_data_version AFTER INSERT OR UPDATE OR DELETE ON item_states
FOR EACH ROW EXECUTE FUNCTION data_version_by_follow();
CREATE TRIGGER evidence_data_version AFTER INSERT OR UPDATE OR DELETE ON evidence
FOR EACH ROW EXECUTE FUNCTION data_version_by_follow();
CREATE TRIGGER plan_revisions_data_version AFTER INSERT OR UPDATE OR DELETE ON plan_revisions
FOR EACH ROW EXECUTE FUNCTION data_version_by_follow();
CREATE TRIGGER reviews_data_version AFTER INSERT OR UPDATE OR DELETE ON reviews
FOR EACH ROW EXECUTE FUNCTION data_version_by_follow();
CREATE TRIGGER review_events_data_version AFTER INSERT OR UPDATE OR DELETE ON review_events
FOR EACH ROW EXECUTE FUNCTION data_version_by_follow();

CREATE TRIGGER curricula_data_version AFTER UPDATE ON curricula
FOR EACH ROW EXECUTE FUNCTION data_version_by_curriculum();
