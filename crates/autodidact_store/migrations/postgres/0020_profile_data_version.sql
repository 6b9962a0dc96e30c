-- What a learner's profile is made of raises their data version too, so that the profile can
-- be kept between requests like their other pages: their profile's settings, their journal,
-- their curricula (added, removed, or retitled, reshared or edited) and the checks of the
-- links in their evidence.
CREATE TRIGGER profiles_data_version AFTER INSERT OR UPDATE OR DELETE ON profiles
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();
CREATE TRIGGER journal_posts_data_version AFTER INSERT OR UPDATE OR DELETE ON journal_posts
FOR EACH ROW EXECUTE FUNCTION data_version_by_user();

CREATE FUNCTION data_version_by_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE users SET data_version = data_version + 1 WHERE id = OLD.owner_id;
    ELSE
        UPDATE users SET data_version = data_version + 1 WHERE id = NEW.owner_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER curricula_owner_data_version AFTER INSERT OR DELETE ON curricula
FOR EACH ROW EXECUTE FUNCTION data_version_by_owner();
CREATE TRIGGER curricula_owner_data_version_update AFTER UPDATE OF title, visibility, source ON curricula
FOR EACH ROW EXECUTE FUNCTION data_version_by_owner();

CREATE FUNCTION data_version_by_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN
        (SELECT f.user_id FROM evidence e JOIN follows f ON f.id = e.follow_id WHERE e.url = NEW.url);
    RETURN NULL;
END;
$$;
CREATE TRIGGER link_checks_data_version AFTER INSERT OR UPDATE ON link_checks
FOR EACH ROW EXECUTE FUNCTION data_version_by_link();
