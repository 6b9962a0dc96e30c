-- Explore: every curriculum keeps its figures beside its source, written with it by the
-- application (items, planned minutes, stated minutes a week, kinds and skills one a line
-- between line breaks, and the lowercased title and skills a search looks in). -1 items
-- means "not summarised yet": the application summarises those rows right after migrating.
ALTER TABLE curricula ADD COLUMN item_count INTEGER NOT NULL DEFAULT -1;
ALTER TABLE curricula ADD COLUMN total_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE curricula ADD COLUMN weekly_minutes INTEGER;
ALTER TABLE curricula ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
ALTER TABLE curricula ADD COLUMN skills TEXT NOT NULL DEFAULT '';
ALTER TABLE curricula ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- How many learners follow the curriculum or a direct copy of it, and how many of those
-- follows have every item done or skipped. The database keeps both, by the triggers below,
-- so that no write path (a board move, a takeout import, deleting an account) can forget.
-- A follow's finished items are counted on the follow the same way.
ALTER TABLE curricula ADD COLUMN followers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE curricula ADD COLUMN finishers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE follows ADD COLUMN done_items INTEGER NOT NULL DEFAULT 0;

UPDATE follows SET done_items = (
    SELECT COUNT(*) FROM item_states s
    WHERE s.follow_id = follows.id AND s.status IN ('done', 'skipped')
);
UPDATE curricula SET followers =
    (SELECT COUNT(*) FROM follows f WHERE f.curriculum_id = curricula.id)
    + (SELECT COUNT(*) FROM follows f JOIN curricula k ON k.id = f.curriculum_id
       WHERE k.fork_of_id = curricula.id);
-- Finishers start at 0 with every item count at -1; summarising each curriculum sets its
-- item count, and the item-count trigger below counts its finishers then.

CREATE FUNCTION item_states_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.status IN ('done', 'skipped') THEN
        UPDATE follows SET done_items = done_items - 1 WHERE id = OLD.follow_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('done', 'skipped') THEN
        UPDATE follows SET done_items = done_items + 1 WHERE id = NEW.follow_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER item_states_done AFTER INSERT OR DELETE OR UPDATE OF status, follow_id
ON item_states FOR EACH ROW EXECUTE FUNCTION item_states_done();

-- A follow counts for its curriculum and for that curriculum's source.
CREATE FUNCTION follow_counts_shift(p_curriculum BIGINT, p_done INTEGER, p_sign INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_items INTEGER;
    v_source BIGINT;
BEGIN
    SELECT item_count, fork_of_id INTO v_items, v_source FROM curricula WHERE id = p_curriculum;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE curricula SET
        followers = followers + p_sign,
        finishers = finishers + p_sign * (v_items > 0 AND p_done >= v_items)::int
    WHERE id = p_curriculum OR id = v_source;
END;
$$;
CREATE FUNCTION follows_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM follow_counts_shift(OLD.curriculum_id, OLD.done_items, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM follow_counts_shift(NEW.curriculum_id, NEW.done_items, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER follows_counts AFTER INSERT OR DELETE OR UPDATE OF done_items, curriculum_id
ON follows FOR EACH ROW EXECUTE FUNCTION follows_counts();

-- A new item count moves the curriculum's follows across the finish line, either way.
CREATE FUNCTION curricula_counts_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.item_count <> OLD.item_count THEN
        UPDATE curricula SET finishers = finishers
            + (SELECT COUNT(*) FROM follows f
               WHERE f.curriculum_id = NEW.id AND NEW.item_count > 0
                 AND f.done_items >= NEW.item_count)
            - (SELECT COUNT(*) FROM follows f
               WHERE f.curriculum_id = NEW.id AND OLD.item_count > 0
                 AND f.done_items >= OLD.item_count)
        WHERE id = NEW.id OR id = NEW.fork_of_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER curricula_counts_items AFTER UPDATE OF item_count ON curricula
FOR EACH ROW EXECUTE FUNCTION curricula_counts_items();

-- A copy that goes takes its follows off its source's counts first: once it is gone, its
-- follows (deleted by the cascade) can no longer say where it came from.
CREATE FUNCTION curricula_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.fork_of_id IS NOT NULL THEN
        UPDATE curricula SET
            followers = followers
                - (SELECT COUNT(*) FROM follows f WHERE f.curriculum_id = OLD.id),
            finishers = finishers
                - (SELECT COUNT(*) FROM follows f
                   WHERE f.curriculum_id = OLD.id AND OLD.item_count > 0
                     AND f.done_items >= OLD.item_count)
        WHERE id = OLD.fork_of_id;
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER curricula_counts_delete BEFORE DELETE ON curricula
FOR EACH ROW EXECUTE FUNCTION curricula_counts_delete();

-- The listing: public curricula in each order. Each index also holds every column a filter
-- reads, so that a search that matches little decides on the index alone and reads a
-- curriculum's row (with its source, kilobytes long) only for the curricula it shows.
CREATE INDEX curricula_public_followers_idx ON curricula
    (followers DESC, updated_at DESC, id, search_text, kinds, total_minutes, weekly_minutes, owner_id)
    WHERE visibility = 'public';
CREATE INDEX curricula_public_finishers_idx ON curricula
    (finishers DESC, updated_at DESC, id, search_text, kinds, total_minutes, weekly_minutes, owner_id)
    WHERE visibility = 'public';
CREATE INDEX curricula_public_recent_idx ON curricula
    (updated_at DESC, id, search_text, kinds, total_minutes, weekly_minutes, owner_id)
    WHERE visibility = 'public';
