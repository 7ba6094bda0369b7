-- The two migration sets say the same thing (the test `schema::both_backends_have_one_schema`
-- compares them as the databases report them). On SQLite:
-- - enrollments.starts_on loses the placeholder default it needed to be added as NOT NULL
--   (PostgreSQL filled the column, then set it NOT NULL): every enrollment is written with its
--   class's first day. SQLite cannot drop a default, so the table is rebuilt, outside the
--   migration's transaction, with foreign keys off while it is (SQLite's documented way).
-- - the counters' update triggers fire on every update of an official, as PostgreSQL's
--   statement trigger does (it cannot name columns, having transition tables); on both, an
--   update that changes no counted column leaves the counters as they were.
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
    UNIQUE (class_id, official_id)
);
INSERT INTO enrollments_rebuilt (id, class_id, official_id, sending_unit_id, status, result, score, certificate_no, completed_on, created_at, updated_at, version, starts_on) SELECT id, class_id, official_id, sending_unit_id, status, result, score, certificate_no, completed_on, created_at, updated_at, version, starts_on FROM enrollments;
DROP TABLE enrollments;
ALTER TABLE enrollments_rebuilt RENAME TO enrollments;
CREATE INDEX enrollments_official_id ON enrollments (official_id);
CREATE INDEX enrollments_class_status ON enrollments (class_id, status);
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, class_id);

DROP TRIGGER officials_counts_leave;
CREATE TRIGGER officials_counts_leave
AFTER UPDATE ON officials
WHEN OLD.status = 'active'
BEGIN
    UPDATE unit_level_counts SET n = n - 1
    WHERE unit_id = OLD.unit_id AND category = OLD.category AND (
        (dimension = 'education' AND level = OLD.education)
        OR (dimension = 'political_theory' AND level = OLD.political_theory)
        OR (dimension = 'state_management' AND level = OLD.state_management)
        OR (dimension = 'it' AND level = OLD.it)
        OR (dimension = 'foreign_language' AND level = OLD.foreign_language));
END;

DROP TRIGGER officials_counts_enter;
CREATE TRIGGER officials_counts_enter
AFTER UPDATE ON officials
WHEN NEW.status = 'active'
BEGIN
    INSERT INTO unit_level_counts (unit_id, category, dimension, level, n) VALUES
        (NEW.unit_id, NEW.category, 'education', NEW.education, 1),
        (NEW.unit_id, NEW.category, 'political_theory', NEW.political_theory, 1),
        (NEW.unit_id, NEW.category, 'state_management', NEW.state_management, 1),
        (NEW.unit_id, NEW.category, 'it', NEW.it, 1),
        (NEW.unit_id, NEW.category, 'foreign_language', NEW.foreign_language, 1)
    ON CONFLICT (unit_id, category, dimension, level) DO UPDATE SET n = n + 1;
END;
COMMIT;
PRAGMA foreign_keys = ON;
