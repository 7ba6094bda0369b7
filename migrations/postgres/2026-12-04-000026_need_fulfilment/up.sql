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
              AND (e.starts_on BETWEEN make_date(n.year, 1, 1) AND make_date(n.year, 12, 31) OR e.completed_on BETWEEN make_date(n.year, 1, 1) AND make_date(n.year, 12, 31))
              AND (e.course_id = i.course_id OR (co.confers_dimension = n.dimension AND co.confers_rank >= n.level_rank)))
        THEN 'met'
        WHEN EXISTS (
            SELECT 1 FROM enrollments e JOIN courses co ON co.id = e.course_id
            WHERE e.official_id = n.official_id AND e.status IN ('nominated', 'enrolled')
              AND e.starts_on <= make_date(n.year, 12, 31)
              AND (e.course_id = i.course_id OR (co.confers_dimension = n.dimension AND co.confers_rank >= n.level_rank)))
        THEN 'in_progress'
        ELSE 'open' END AS fulfilment
FROM plan_needs n LEFT JOIN plan_items i ON i.id = n.item_id;

-- Judges the needs `needs` again, writing only those whose fulfilment changed.
CREATE FUNCTION plan_needs_judge(needs BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A statement that judged nothing must not write: the needs' own trigger would fire again.
    IF cardinality(needs) = 0 THEN
        RETURN;
    END IF;
    UPDATE plan_needs n SET fulfilment = j.fulfilment
    FROM (SELECT m.id, (SELECT f.fulfilment FROM plan_need_fulfilment f WHERE f.need_id = m.id) AS fulfilment
          FROM plan_needs m WHERE m.id = ANY (needs)) j
    WHERE n.id = j.id AND n.fulfilment <> j.fulfilment;
END
$$;

-- Enrollments written: the needs of their officials, before and after.
CREATE FUNCTION enrollments_revise_fulfilment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM plan_needs_judge(ARRAY(
            SELECT n.id FROM plan_needs n WHERE n.official_id IN (SELECT official_id FROM new_rows)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM plan_needs_judge(ARRAY(
            SELECT n.id FROM plan_needs n WHERE n.official_id IN (SELECT official_id FROM old_rows)));
    ELSE
        PERFORM plan_needs_judge(ARRAY(
            SELECT n.id FROM plan_needs n WHERE n.official_id IN (
                SELECT o.official_id FROM old_rows o JOIN new_rows w ON w.id = o.id
                WHERE (w.official_id, w.course_id, w.status, w.starts_on, w.completed_on)
                    IS DISTINCT FROM (o.official_id, o.course_id, o.status, o.starts_on, o.completed_on)
                UNION
                SELECT w.official_id FROM old_rows o JOIN new_rows w ON w.id = o.id
                WHERE (w.official_id, w.course_id, w.status, w.starts_on, w.completed_on)
                    IS DISTINCT FROM (o.official_id, o.course_id, o.status, o.starts_on, o.completed_on))));
    END IF;
    RETURN NULL;
END
$$;

-- Needs registered, or changed in what is judged: themselves.
CREATE FUNCTION plan_needs_revise_fulfilment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM plan_needs_judge(ARRAY(SELECT id FROM new_rows));
    ELSE
        PERFORM plan_needs_judge(ARRAY(
            SELECT w.id FROM old_rows o JOIN new_rows w ON w.id = o.id
            WHERE (w.official_id, w.item_id, w.year, w.dimension, w.level_rank)
                IS DISTINCT FROM (o.official_id, o.item_id, o.year, o.dimension, o.level_rank)));
    END IF;
    RETURN NULL;
END
$$;

-- An item's course changed: the needs registered for the item.
CREATE FUNCTION plan_items_revise_fulfilment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM plan_needs_judge(ARRAY(
        SELECT n.id FROM plan_needs n WHERE n.item_id IN (
            SELECT w.id FROM old_rows o JOIN new_rows w ON w.id = o.id
            WHERE w.course_id IS DISTINCT FROM o.course_id)));
    RETURN NULL;
END
$$;

-- What a course confers changed: the needs of everyone enrolled in it (by its classes:
-- enrollments are indexed by class).
CREATE FUNCTION courses_revise_fulfilment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM plan_needs_judge(ARRAY(
        SELECT n.id FROM plan_needs n WHERE n.official_id IN (
            SELECT e.official_id FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE c.course_id IN (
                SELECT w.id FROM old_rows o JOIN new_rows w ON w.id = o.id
                WHERE (w.confers_dimension, w.confers_rank) IS DISTINCT FROM (o.confers_dimension, o.confers_rank)))));
    RETURN NULL;
END
$$;

CREATE TRIGGER enrollments_revise_fulfilment_insert AFTER INSERT ON enrollments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enrollments_revise_fulfilment();
CREATE TRIGGER enrollments_revise_fulfilment_update AFTER UPDATE ON enrollments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enrollments_revise_fulfilment();
CREATE TRIGGER enrollments_revise_fulfilment_delete AFTER DELETE ON enrollments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION enrollments_revise_fulfilment();
CREATE TRIGGER plan_needs_revise_fulfilment_insert AFTER INSERT ON plan_needs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_needs_revise_fulfilment();
CREATE TRIGGER plan_needs_revise_fulfilment_update AFTER UPDATE ON plan_needs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_needs_revise_fulfilment();
CREATE TRIGGER plan_items_revise_fulfilment AFTER UPDATE ON plan_items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_revise_fulfilment();
CREATE TRIGGER courses_revise_fulfilment AFTER UPDATE ON courses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_revise_fulfilment();

-- The needs already registered.
UPDATE plan_needs n SET fulfilment = f.fulfilment FROM plan_need_fulfilment f
WHERE f.need_id = n.id AND f.fulfilment <> 'open';

-- Plan-vs-actual counts a subtree's needs per plan, item, level and fulfilment: read from
-- this index alone (a province's 77,323 needs lie scattered over the table's pages: 39,000
-- pages read, 230–390 ms, against 22 ms from the index at 3,000,000 officials).
CREATE INDEX plan_needs_counted ON plan_needs (plan_id, item_id, dimension, level, fulfilment);
