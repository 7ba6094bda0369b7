-- A need's fulfilment (met, in progress, open) was judged by every read: two probes of the
-- official's enrollments per need, 1.0 s of the 1.4 s a province's plan-vs-actual took at
-- 3,000,000 officials (issue #16). It is now kept on the need, judged again in the same
-- transaction by every write that can change it (the triggers below): an enrollment written,
-- a need registered, an item's course or a course's conferral changed.

-- The rank of the level a course confers (from the domain's table, as needs and
-- qualifications copy it), so that the judgement is static SQL; NULL when it confers none.
ALTER TABLE courses ADD COLUMN confers_rank INTEGER;
UPDATE courses SET confers_rank = CASE
    WHEN confers_dimension = 'education' AND confers_level = 'none' THEN 0
    WHEN confers_dimension = 'education' AND confers_level = 'elementary' THEN 1
    WHEN confers_dimension = 'education' AND confers_level = 'intermediate' THEN 2
    WHEN confers_dimension = 'education' AND confers_level = 'college' THEN 3
    WHEN confers_dimension = 'education' AND confers_level = 'university' THEN 4
    WHEN confers_dimension = 'education' AND confers_level = 'master' THEN 5
    WHEN confers_dimension = 'education' AND confers_level = 'doctorate' THEN 6
    WHEN confers_dimension = 'political_theory' AND confers_level = 'none' THEN 0
    WHEN confers_dimension = 'political_theory' AND confers_level = 'elementary' THEN 1
    WHEN confers_dimension = 'political_theory' AND confers_level = 'intermediate' THEN 2
    WHEN confers_dimension = 'political_theory' AND confers_level = 'advanced' THEN 3
    WHEN confers_dimension = 'political_theory' AND confers_level = 'bachelor' THEN 3
    WHEN confers_dimension = 'state_management' AND confers_level = 'none' THEN 0
    WHEN confers_dimension = 'state_management' AND confers_level = 'clerk' THEN 1
    WHEN confers_dimension = 'state_management' AND confers_level = 'specialist' THEN 2
    WHEN confers_dimension = 'state_management' AND confers_level = 'principal_specialist' THEN 3
    WHEN confers_dimension = 'state_management' AND confers_level = 'senior_specialist' THEN 4
    WHEN confers_dimension = 'it' AND confers_level = 'none' THEN 0
    WHEN confers_dimension = 'it' AND confers_level = 'basic' THEN 1
    WHEN confers_dimension = 'it' AND confers_level = 'advanced' THEN 2
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'none' THEN 0
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'level_1' THEN 1
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'level_2' THEN 2
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'level_3' THEN 3
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'level_4' THEN 4
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'level_5' THEN 5
    WHEN confers_dimension = 'foreign_language' AND confers_level = 'level_6' THEN 6
    ELSE NULL END
WHERE confers_level IS NOT NULL;

ALTER TABLE plan_needs ADD COLUMN fulfilment TEXT NOT NULL DEFAULT 'open';

-- The judgement, written once: a need is met when the official completed, in the need's
-- year (a class that started in it, or a completion dated in it), an enrollment in the
-- item's course or in one conferring the need's dimension at its level or above; in progress
-- when nominated or enrolled in such a class starting by the year's end; open otherwise.
CREATE VIEW plan_need_fulfilment AS
SELECT n.id AS need_id,
    CASE WHEN EXISTS (
            SELECT 1 FROM enrollments e JOIN courses co ON co.id = e.course_id
            WHERE e.official_id = n.official_id AND e.status = 'completed'
              AND (e.starts_on BETWEEN printf('%04d-01-01', n.year) AND printf('%04d-12-31', n.year) OR e.completed_on BETWEEN printf('%04d-01-01', n.year) AND printf('%04d-12-31', n.year))
              AND (e.course_id = i.course_id OR (co.confers_dimension = n.dimension AND co.confers_rank >= n.level_rank)))
        THEN 'met'
        WHEN EXISTS (
            SELECT 1 FROM enrollments e JOIN courses co ON co.id = e.course_id
            WHERE e.official_id = n.official_id AND e.status IN ('nominated', 'enrolled')
              AND e.starts_on <= printf('%04d-12-31', n.year)
              AND (e.course_id = i.course_id OR (co.confers_dimension = n.dimension AND co.confers_rank >= n.level_rank)))
        THEN 'in_progress'
        ELSE 'open' END AS fulfilment
FROM plan_needs n LEFT JOIN plan_items i ON i.id = n.item_id;

-- Each trigger judges the needs a write can change again (SQLite runs them row by row; an
-- update fires them only when what the judgement reads changed, and fires on every column
-- as PostgreSQL's, whose statement triggers with transition tables can name none).
CREATE TRIGGER enrollments_revise_fulfilment_insert AFTER INSERT ON enrollments
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE official_id = NEW.official_id;
END;
CREATE TRIGGER enrollments_revise_fulfilment_update AFTER UPDATE ON enrollments
WHEN OLD.official_id IS NOT NEW.official_id OR OLD.course_id IS NOT NEW.course_id OR OLD.status IS NOT NEW.status
    OR OLD.starts_on IS NOT NEW.starts_on OR OLD.completed_on IS NOT NEW.completed_on
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE official_id IN (OLD.official_id, NEW.official_id);
END;
CREATE TRIGGER enrollments_revise_fulfilment_delete AFTER DELETE ON enrollments
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE official_id = OLD.official_id;
END;
CREATE TRIGGER plan_needs_revise_fulfilment_insert AFTER INSERT ON plan_needs
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE id = NEW.id;
END;
CREATE TRIGGER plan_needs_revise_fulfilment_update AFTER UPDATE ON plan_needs
WHEN OLD.official_id IS NOT NEW.official_id OR OLD.item_id IS NOT NEW.item_id OR OLD.year IS NOT NEW.year
    OR OLD.dimension IS NOT NEW.dimension OR OLD.level_rank IS NOT NEW.level_rank
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE id = NEW.id;
END;
-- An item's course changed: the needs registered for the item.
CREATE TRIGGER plan_items_revise_fulfilment AFTER UPDATE ON plan_items
WHEN OLD.course_id IS NOT NEW.course_id
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE item_id = NEW.id;
END;
-- What a course confers changed: the needs of everyone enrolled in it (by its classes:
-- enrollments are indexed by class).
CREATE TRIGGER courses_revise_fulfilment AFTER UPDATE ON courses
WHEN OLD.confers_dimension IS NOT NEW.confers_dimension OR OLD.confers_rank IS NOT NEW.confers_rank
BEGIN
    UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id)
    WHERE official_id IN (
        SELECT e.official_id FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE c.course_id = NEW.id);
END;

-- The needs already registered.
UPDATE plan_needs SET fulfilment = (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = plan_needs.id);

-- Plan-vs-actual counts a subtree's needs per plan, item, level and fulfilment: read from
-- this index alone (a province's 77,323 needs lie scattered over the table's pages: 39,000
-- pages read, 230–390 ms, against 22 ms from the index at 3,000,000 officials).
CREATE INDEX plan_needs_counted ON plan_needs (plan_id, item_id, dimension, level, fulfilment);
