-- What a learner's profile is made of raises their data version too, so that the profile can
-- be kept between requests like their other pages: their profile's settings, their journal,
-- their curricula (added, removed, or retitled, reshared or edited) and the checks of the
-- links in their evidence.
CREATE TRIGGER profiles_data_version_insert AFTER INSERT ON profiles
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER profiles_data_version_update AFTER UPDATE ON profiles
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER profiles_data_version_delete AFTER DELETE ON profiles
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER journal_posts_data_version_insert AFTER INSERT ON journal_posts
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER journal_posts_data_version_update AFTER UPDATE ON journal_posts
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER journal_posts_data_version_delete AFTER DELETE ON journal_posts
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER curricula_owner_data_version_insert AFTER INSERT ON curricula
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.owner_id;
END;
CREATE TRIGGER curricula_owner_data_version_update AFTER UPDATE OF title, visibility, source ON curricula
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.owner_id;
END;
CREATE TRIGGER curricula_owner_data_version_delete AFTER DELETE ON curricula
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.owner_id;
END;

CREATE TRIGGER link_checks_data_version_insert AFTER INSERT ON link_checks
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN
        (SELECT f.user_id FROM evidence e JOIN follows f ON f.id = e.follow_id WHERE e.url = NEW.url);
END;
CREATE TRIGGER link_checks_data_version_update AFTER UPDATE ON link_checks
FOR EACH ROW BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN
        (SELECT f.user_id FROM evidence e JOIN follows f ON f.id = e.follow_id WHERE e.url = NEW.url);
END;
