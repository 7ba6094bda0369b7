-- Each completed enrollment carries the post its official held on the day of completion
-- (issue #14): the training results count the leaders among those who completed, and read
-- it from the completions' index instead of joining every completion to the assignments of
-- its day. The post is the one of the assignment covering that day, or the official's current
-- post when none does (records are often entered years later); an assignment without a post
-- gives none (0 stands for "covered, without a post" in the expressions below until the end).
-- Whether the post leads is read from `positions` when the report runs, so a position's
-- `leadership` corrected needs nothing kept in step. The triggers keep the copy in step with
-- whatever writes the enrollment, the official's assignments or their current post; they are
-- named `…_revise_…` as the workforce's are: the synthetic loader sets them aside while it
-- loads a country (writing every copy itself) and puts them back after.
ALTER TABLE enrollments ADD COLUMN official_position_id BIGINT;
UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE completed_on IS NOT NULL;
DROP INDEX enrollments_completed;
-- The training results: a period's completions sent by a unit, with all the form reads of them.
CREATE INDEX enrollments_completed ON enrollments
    (sending_unit_id, completed_on, official_id, course_id, location, study_mode, cost_vnd, official_gender,
     official_position_id)
    WHERE status = 'completed';

CREATE TRIGGER enrollments_revise_post_insert AFTER INSERT ON enrollments
WHEN NEW.completed_on IS NOT NULL
BEGIN
    UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE id = NEW.id AND completed_on IS NOT NULL;
END;
CREATE TRIGGER enrollments_revise_post_update AFTER UPDATE OF official_id, completed_on ON enrollments
BEGIN
    UPDATE enrollments SET official_position_id = NULL WHERE id = NEW.id AND completed_on IS NULL;
    UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE id = NEW.id AND completed_on IS NOT NULL;
END;
CREATE TRIGGER assignments_revise_posts_insert AFTER INSERT ON assignments
BEGIN
    UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE official_id = NEW.official_id AND completed_on IS NOT NULL;
END;
CREATE TRIGGER assignments_revise_posts_update AFTER UPDATE OF official_id, position_id, started_on, ended_on ON assignments
BEGIN
    UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE official_id IN (OLD.official_id, NEW.official_id) AND completed_on IS NOT NULL;
END;
CREATE TRIGGER assignments_revise_posts_delete AFTER DELETE ON assignments
BEGIN
    UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE official_id = OLD.official_id AND completed_on IS NOT NULL;
END;
CREATE TRIGGER officials_revise_posts AFTER UPDATE OF position_id ON officials
WHEN OLD.position_id IS NOT NEW.position_id
BEGIN
    UPDATE enrollments SET official_position_id = NULLIF(COALESCE(
        (SELECT COALESCE(a.position_id, 0) FROM assignments a
         WHERE a.official_id = enrollments.official_id AND a.started_on <= enrollments.completed_on AND (a.ended_on IS NULL OR a.ended_on > enrollments.completed_on)
         ORDER BY a.started_on DESC LIMIT 1),
        (SELECT o.position_id FROM officials o WHERE o.id = enrollments.official_id)), 0)
    WHERE official_id = NEW.id AND completed_on IS NOT NULL;
END;
