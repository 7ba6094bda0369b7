-- Scale: what the reports over a whole country read instead of the big tables.

-- 1. Each enrollment carries its class's first day (the service keeps it in step when
--    a class moves), so that a year's enrollments sent by a unit are one index range.
ALTER TABLE enrollments ADD COLUMN starts_on DATE NOT NULL DEFAULT '1970-01-01';
UPDATE enrollments SET starts_on = (SELECT c.starts_on FROM classes c WHERE c.id = enrollments.class_id);
DROP INDEX enrollments_sending_unit;
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, class_id);

-- 2. Active officials counted per unit, category, dimension and current level: today's
--    qualification report sums these instead of reading every official. The triggers
--    below keep them in step with officials in the same statement, whatever writes it.
CREATE TABLE unit_level_counts (
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    dimension TEXT NOT NULL,
    level TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, category, dimension, level)
) WITHOUT ROWID;

CREATE TRIGGER officials_counts_insert AFTER INSERT ON officials WHEN NEW.status = 'active'
BEGIN
    INSERT INTO unit_level_counts (unit_id, category, dimension, level, n) VALUES
        (NEW.unit_id, NEW.category, 'education', NEW.education, 1),
        (NEW.unit_id, NEW.category, 'political_theory', NEW.political_theory, 1),
        (NEW.unit_id, NEW.category, 'state_management', NEW.state_management, 1),
        (NEW.unit_id, NEW.category, 'it', NEW.it, 1),
        (NEW.unit_id, NEW.category, 'foreign_language', NEW.foreign_language, 1)
    ON CONFLICT (unit_id, category, dimension, level) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER officials_counts_delete AFTER DELETE ON officials WHEN OLD.status = 'active'
BEGIN
    UPDATE unit_level_counts SET n = n - 1
    WHERE unit_id = OLD.unit_id AND category = OLD.category AND (
        (dimension = 'education' AND level = OLD.education)
        OR (dimension = 'political_theory' AND level = OLD.political_theory)
        OR (dimension = 'state_management' AND level = OLD.state_management)
        OR (dimension = 'it' AND level = OLD.it)
        OR (dimension = 'foreign_language' AND level = OLD.foreign_language));
END;

-- An update leaves the old counters and enters the new ones (two triggers, in either order).
CREATE TRIGGER officials_counts_leave
AFTER UPDATE OF unit_id, category, status, education, political_theory, state_management, it, foreign_language ON officials
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

CREATE TRIGGER officials_counts_enter
AFTER UPDATE OF unit_id, category, status, education, political_theory, state_management, it, foreign_language ON officials
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

INSERT INTO unit_level_counts (unit_id, category, dimension, level, n)
SELECT unit_id, category, dimension, level, COUNT(*) FROM (
    SELECT unit_id, category, 'education' AS dimension, education AS level FROM officials WHERE status = 'active'
    UNION ALL SELECT unit_id, category, 'political_theory', political_theory FROM officials WHERE status = 'active'
    UNION ALL SELECT unit_id, category, 'state_management', state_management FROM officials WHERE status = 'active'
    UNION ALL SELECT unit_id, category, 'it', it FROM officials WHERE status = 'active'
    UNION ALL SELECT unit_id, category, 'foreign_language', foreign_language FROM officials WHERE status = 'active'
) GROUP BY unit_id, category, dimension, level;
