-- Each enrollment carries its class's course, as it carries the class's first day (the
-- service keeps both in step when a class changes), and its official's gender (kept in step
-- by the trigger below, whatever writes it), so that the year's training results read all
-- they need of a completion from one index (issue #14).
-- SQLite adds a NOT NULL column only with a default, which PostgreSQL's have not (every
-- enrollment is written with its class's course and its official's gender): the table is
-- rebuilt, as migration 11 did, outside the migration's transaction with foreign keys off
-- while it is, and keeps the ids it gave out (AUTOINCREMENT's record).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE enrollments_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id BIGINT NOT NULL REFERENCES classes (id),
    official_id BIGINT NOT NULL REFERENCES officials (id),
    -- The unit that sent them, as it was then: it does not follow later moves.
    sending_unit_id BIGINT NOT NULL REFERENCES units (id),
    status TEXT NOT NULL DEFAULT 'nominated',
    result TEXT,
    score DOUBLE PRECISION,
    certificate_no TEXT,
    completed_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    -- The class's first day, kept with each enrollment for the reports' index.
    starts_on DATE NOT NULL,
    location TEXT NOT NULL DEFAULT 'domestic',
    study_mode TEXT NOT NULL DEFAULT 'full_time',
    funding TEXT NOT NULL DEFAULT 'state_budget',
    cost_vnd BIGINT NOT NULL DEFAULT 0 CHECK (cost_vnd >= 0),
    -- The class's course, kept with each enrollment for the reports.
    course_id BIGINT NOT NULL REFERENCES courses (id),
    -- The official's gender, kept with each enrollment for the training results.
    official_gender TEXT NOT NULL,
    UNIQUE (class_id, official_id)
);
INSERT INTO enrollments_rebuilt (id, class_id, official_id, sending_unit_id, status, result, score, certificate_no,
    completed_on, created_at, updated_at, version, starts_on, location, study_mode, funding, cost_vnd, course_id, official_gender)
SELECT e.id, e.class_id, e.official_id, e.sending_unit_id, e.status, e.result, e.score, e.certificate_no,
    e.completed_on, e.created_at, e.updated_at, e.version, e.starts_on, e.location, e.study_mode, e.funding, e.cost_vnd,
    c.course_id, o.gender
FROM enrollments e JOIN classes c ON c.id = e.class_id JOIN officials o ON o.id = e.official_id;
DELETE FROM sqlite_sequence WHERE name = 'enrollments_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'enrollments_rebuilt', seq FROM sqlite_sequence WHERE name = 'enrollments';
DROP TABLE enrollments;
ALTER TABLE enrollments_rebuilt RENAME TO enrollments;
CREATE INDEX enrollments_official_id ON enrollments (official_id);
CREATE INDEX enrollments_class_status ON enrollments (class_id, status);
-- The training report: a year's enrollments sent by a unit, with whom and what course.
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, course_id);
-- The training results: a period's completions sent by a unit, with all the form reads of them.
CREATE INDEX enrollments_completed ON enrollments
    (sending_unit_id, completed_on, official_id, course_id, location, study_mode, cost_vnd, official_gender)
    WHERE status = 'completed';

-- An official's gender follows them onto their enrollments.
CREATE TRIGGER officials_gender_follows AFTER UPDATE OF gender ON officials
WHEN OLD.gender IS NOT NEW.gender
BEGIN
    UPDATE enrollments SET official_gender = NEW.gender WHERE official_id = NEW.id;
END;
COMMIT;
PRAGMA foreign_keys = ON;
