-- A version number per learner, raised by the database itself in the same transaction as any
-- change to what the learner's pages show: their logs, follows, item states, plans, reviews,
-- commitments, dismissals, timer and settings, and the curricula they follow. A node keeps
-- derived views (the dashboard, the week, the quick log's catalog) keyed by this number and
-- recomputes one when the number it reads with the session differs, so every node sees every
-- write at once. Triggers, not code, raise it: no write path can forget to.
--
-- The running totals (log_days, log_item_days) change only with study_logs, which raises it.
ALTER TABLE users ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

-- A change to the learner's own row (settings, name) raises the number once; the raise itself
-- changes data_version, so the condition stops it there.
CREATE TRIGGER users_data_version AFTER UPDATE ON users
FOR EACH ROW WHEN NEW.data_version = OLD.data_version
BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER study_logs_data_version_insert AFTER INSERT ON study_logs
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER study_logs_data_version_update AFTER UPDATE ON study_logs
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER study_logs_data_version_delete AFTER DELETE ON study_logs
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER follows_data_version_insert AFTER INSERT ON follows
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER follows_data_version_update AFTER UPDATE ON follows
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER follows_data_version_delete AFTER DELETE ON follows
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER dismissals_data_version_insert AFTER INSERT ON dismissals
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER dismissals_data_version_update AFTER UPDATE ON dismissals
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER dismissals_data_version_delete AFTER DELETE ON dismissals
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER commitments_data_version_insert AFTER INSERT ON commitments
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER commitments_data_version_update AFTER UPDATE ON commitments
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER commitments_data_version_delete AFTER DELETE ON commitments
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER timers_data_version_insert AFTER INSERT ON timers
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER timers_data_version_update AFTER UPDATE ON timers
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER timers_data_version_delete AFTER DELETE ON timers
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER item_states_data_version_insert AFTER INSERT ON item_states
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER item_states_data_version_update AFTER UPDATE ON item_states
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER item_states_data_version_delete AFTER DELETE ON item_states
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = OLD.follow_id);
END;

CREATE TRIGGER evidence_data_version_insert AFTER INSERT ON evidence
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER evidence_data_version_update AFTER UPDATE ON evidence
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER evidence_data_version_delete AFTER DELETE ON evidence
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = OLD.follow_id);
END;

CREATE TRIGGER plan_revisions_data_version_insert AFTER INSERT ON plan_revisions
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER plan_revisions_data_version_update AFTER UPDATE ON plan_revisions
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER plan_revisions_data_version_delete AFTER DELETE ON plan_revisions
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = OLD.follow_id);
END;

CREATE TRIGGER reviews_data_version_insert AFTER INSERT ON reviews
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER reviews_data_version_update AFTER UPDATE ON reviews
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER reviews_data_version_delete AFTER DELETE ON reviews
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = OLD.follow_id);
END;

CREATE TRIGGER review_events_data_version_insert AFTER INSERT ON review_events
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER review_events_data_version_update AFTER UPDATE ON review_events
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = NEW.follow_id);
END;
CREATE TRIGGER review_events_data_version_delete AFTER DELETE ON review_events
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM follows WHERE id = OLD.follow_id);
END;

-- An edit of a curriculum changes the pages of everyone who follows it.
CREATE TRIGGER curricula_data_version_update AFTER UPDATE ON curricula
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT user_id FROM follows WHERE curriculum_id = NEW.id);
END;
