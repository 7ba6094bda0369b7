-- Each enrollment carries its class's course, as it carries the class's first day (the
-- service keeps both in step when a class changes), and its official's gender (kept in step
-- by the trigger below, whatever writes it), so that the year's training results read all
-- they need of a completion from one index (issue #14).
-- Every row is written: the indexes that are not constraints are dropped first and built
-- again after, which costs less than keeping them in step row by row.
DROP INDEX enrollments_official_id;
DROP INDEX enrollments_class_status;
DROP INDEX enrollments_sent;
DROP INDEX enrollments_completed;
ALTER TABLE enrollments ADD COLUMN course_id BIGINT, ADD COLUMN official_gender TEXT;
UPDATE enrollments e SET course_id = c.course_id, official_gender = o.gender
FROM classes c, officials o WHERE c.id = e.class_id AND o.id = e.official_id;
ALTER TABLE enrollments ALTER COLUMN course_id SET NOT NULL, ALTER COLUMN official_gender SET NOT NULL;
ALTER TABLE enrollments ADD CONSTRAINT enrollments_course_id_fkey FOREIGN KEY (course_id) REFERENCES courses (id);
CREATE INDEX enrollments_official_id ON enrollments (official_id);
CREATE INDEX enrollments_class_status ON enrollments (class_id, status);
-- The training report: a year's enrollments sent by a unit, with whom and what course.
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, course_id);
-- The training results: a period's completions sent by a unit, with all the form reads of them.
CREATE INDEX enrollments_completed ON enrollments
    (sending_unit_id, completed_on, official_id, course_id, location, study_mode, cost_vnd, official_gender)
    WHERE status = 'completed';

-- An official's gender follows them onto their enrollments.
CREATE FUNCTION enrollments_follow_gender() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrollments SET official_gender = NEW.gender WHERE official_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER officials_gender_follows AFTER UPDATE OF gender ON officials
    FOR EACH ROW WHEN (OLD.gender IS DISTINCT FROM NEW.gender) EXECUTE FUNCTION enrollments_follow_gender();
