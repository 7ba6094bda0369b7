-- Each completed enrollment carries the post its official held on the day of completion
-- (issue #14): the training results count the leaders among those who completed, and read
-- it from the completions' index instead of joining every completion to the assignments of
-- its day. The post is the one of the assignment covering that day, or the official's current
-- post when none does (records are often entered years later); an assignment without a post
-- gives none. Whether the post leads is read from `positions` when the report runs, so a
-- position's `leadership` corrected needs nothing kept in step. The triggers below keep the
-- copy in step with whatever writes the enrollment, the official's assignments or their
-- current post; they lock the official's row first, as the service's writes of an official's
-- history do, so that two writes of one official's history run one after the other.

-- The post `official` held on `on_day` (NULL when `on_day` is): the covering assignment's
-- (0 standing for "covered, without a post" until the end), else the current one.
CREATE FUNCTION official_post_on(official BIGINT, on_day DATE) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN on_day IS NULL THEN NULL ELSE NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = official AND a.started_on <= on_day AND (a.ended_on IS NULL OR a.ended_on > on_day)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = official)), 0) END
$$;

-- Every row is written: the indexes that are not constraints are dropped first and built
-- again after, which costs less than keeping them in step row by row.
DROP INDEX enrollments_official_id;
DROP INDEX enrollments_class_status;
DROP INDEX enrollments_sent;
DROP INDEX enrollments_completed;
ALTER TABLE enrollments ADD COLUMN official_position_id BIGINT;
UPDATE enrollments e SET official_position_id = NULLIF(COALESCE(
    (SELECT COALESCE(a.position_id, 0) FROM assignments a
     WHERE a.official_id = e.official_id AND a.started_on <= e.completed_on
       AND (a.ended_on IS NULL OR a.ended_on > e.completed_on)
     ORDER BY a.started_on DESC LIMIT 1),
    (SELECT o.position_id FROM officials o WHERE o.id = e.official_id)), 0)
WHERE e.completed_on IS NOT NULL;
CREATE INDEX enrollments_official_id ON enrollments (official_id);
CREATE INDEX enrollments_class_status ON enrollments (class_id, status);
-- The training report: a year's enrollments sent by a unit, with whom and what course.
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, course_id);
-- The training results: a period's completions sent by a unit, with all the form reads of them.
CREATE INDEX enrollments_completed ON enrollments
    (sending_unit_id, completed_on, official_id, course_id, location, study_mode, cost_vnd, official_gender,
     official_position_id)
    WHERE status = 'completed';

-- An enrollment written: its post, when it is completed.
CREATE FUNCTION enrollments_take_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.completed_on IS NULL THEN
        NEW.official_position_id := NULL;
    ELSE
        PERFORM 1 FROM officials WHERE id = NEW.official_id FOR NO KEY UPDATE;
        NEW.official_position_id := official_post_on(NEW.official_id, NEW.completed_on);
    END IF;
    RETURN NEW;
END
$$;

-- An official's history written: the posts of their completed enrollments, again.
CREATE FUNCTION enrollments_follow_posts(official BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM officials WHERE id = official FOR NO KEY UPDATE;
    UPDATE enrollments e SET official_position_id = official_post_on(e.official_id, e.completed_on)
    WHERE e.official_id = official AND e.completed_on IS NOT NULL
      AND e.official_position_id IS DISTINCT FROM official_post_on(e.official_id, e.completed_on);
END
$$;

CREATE FUNCTION assignments_revise_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM enrollments_follow_posts(OLD.official_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.official_id <> OLD.official_id) THEN
        PERFORM enrollments_follow_posts(NEW.official_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION officials_revise_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM enrollments_follow_posts(NEW.id);
    RETURN NULL;
END
$$;

-- Named `…_revise_…` as the workforce's are: the synthetic loader sets them aside while it
-- loads a country (writing every copy itself) and puts them back after.
CREATE TRIGGER enrollments_revise_post_insert BEFORE INSERT ON enrollments
    FOR EACH ROW EXECUTE FUNCTION enrollments_take_post();
CREATE TRIGGER enrollments_revise_post_update BEFORE UPDATE OF official_id, completed_on ON enrollments
    FOR EACH ROW EXECUTE FUNCTION enrollments_take_post();
CREATE TRIGGER assignments_revise_posts_insert AFTER INSERT ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignments_revise_posts();
CREATE TRIGGER assignments_revise_posts_update AFTER UPDATE OF official_id, position_id, started_on, ended_on
    ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_revise_posts();
CREATE TRIGGER assignments_revise_posts_delete AFTER DELETE ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignments_revise_posts();
CREATE TRIGGER officials_revise_posts AFTER UPDATE OF position_id ON officials
    FOR EACH ROW WHEN (OLD.position_id IS DISTINCT FROM NEW.position_id) EXECUTE FUNCTION officials_revise_posts();
