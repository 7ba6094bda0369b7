-- Scale: what the reports over a whole country read instead of the big tables.

-- 1. Each enrollment carries its class's first day (the service keeps it in step when
--    a class moves), so that a year's enrollments sent by a unit are one index range.
ALTER TABLE enrollments ADD COLUMN starts_on DATE;
UPDATE enrollments e SET starts_on = c.starts_on FROM classes c WHERE c.id = e.class_id;
ALTER TABLE enrollments ALTER COLUMN starts_on SET NOT NULL;
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
);

-- The counter rows of a set of officials, one per dimension.
CREATE FUNCTION official_level_rows(o officials)
RETURNS TABLE (unit_id BIGINT, category TEXT, dimension TEXT, level TEXT)
LANGUAGE sql IMMUTABLE AS $$
    VALUES (o.unit_id, o.category, 'education', o.education),
           (o.unit_id, o.category, 'political_theory', o.political_theory),
           (o.unit_id, o.category, 'state_management', o.state_management),
           (o.unit_id, o.category, 'it', o.it),
           (o.unit_id, o.category, 'foreign_language', o.foreign_language)
$$;

-- One statement per firing: the net change of each counter, applied in key order (so
-- that concurrent writers lock counters in the same order and cannot deadlock).
CREATE FUNCTION unit_level_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO unit_level_counts (unit_id, category, dimension, level, n)
        SELECT r.unit_id, r.category, r.dimension, r.level, COUNT(*)
        FROM new_rows o CROSS JOIN LATERAL official_level_rows(o) r
        WHERE o.status = 'active'
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (unit_id, category, dimension, level) DO UPDATE SET n = unit_level_counts.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO unit_level_counts (unit_id, category, dimension, level, n)
        SELECT r.unit_id, r.category, r.dimension, r.level, -COUNT(*)
        FROM old_rows o CROSS JOIN LATERAL official_level_rows(o) r
        WHERE o.status = 'active'
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (unit_id, category, dimension, level) DO UPDATE SET n = unit_level_counts.n + EXCLUDED.n;
    ELSE
        INSERT INTO unit_level_counts (unit_id, category, dimension, level, n)
        SELECT d.unit_id, d.category, d.dimension, d.level, SUM(d.n)
        FROM (
            SELECT r.unit_id, r.category, r.dimension, r.level, -1 AS n
            FROM old_rows o CROSS JOIN LATERAL official_level_rows(o) r WHERE o.status = 'active'
            UNION ALL
            SELECT r.unit_id, r.category, r.dimension, r.level, 1 AS n
            FROM new_rows o CROSS JOIN LATERAL official_level_rows(o) r WHERE o.status = 'active'
        ) d
        GROUP BY 1, 2, 3, 4 HAVING SUM(d.n) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (unit_id, category, dimension, level) DO UPDATE SET n = unit_level_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER officials_counts_insert AFTER INSERT ON officials
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_level_counts_apply();
CREATE TRIGGER officials_counts_update AFTER UPDATE ON officials
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_level_counts_apply();
CREATE TRIGGER officials_counts_delete AFTER DELETE ON officials
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_level_counts_apply();

INSERT INTO unit_level_counts (unit_id, category, dimension, level, n)
SELECT r.unit_id, r.category, r.dimension, r.level, COUNT(*)
FROM officials o CROSS JOIN LATERAL official_level_rows(o) r
WHERE o.status = 'active'
GROUP BY 1, 2, 3, 4;
