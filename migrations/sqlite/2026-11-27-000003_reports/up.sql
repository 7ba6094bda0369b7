-- Reports: each qualification carries the order and rank of its level, and each position
-- the ranks of its standards, so that reports compare levels in the database. The service
-- keeps these columns in step on every write; this fills them for existing rows.

ALTER TABLE qualifications ADD COLUMN level_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE qualifications ADD COLUMN level_rank INTEGER NOT NULL DEFAULT 0;
UPDATE qualifications SET
    level_order = CASE
        WHEN dimension = 'education' AND level = 'none' THEN 0
        WHEN dimension = 'education' AND level = 'elementary' THEN 1
        WHEN dimension = 'education' AND level = 'intermediate' THEN 2
        WHEN dimension = 'education' AND level = 'college' THEN 3
        WHEN dimension = 'education' AND level = 'university' THEN 4
        WHEN dimension = 'education' AND level = 'master' THEN 5
        WHEN dimension = 'education' AND level = 'doctorate' THEN 6
        WHEN dimension = 'political_theory' AND level = 'none' THEN 0
        WHEN dimension = 'political_theory' AND level = 'elementary' THEN 1
        WHEN dimension = 'political_theory' AND level = 'intermediate' THEN 2
        WHEN dimension = 'political_theory' AND level = 'advanced' THEN 3
        WHEN dimension = 'political_theory' AND level = 'bachelor' THEN 4
        WHEN dimension = 'state_management' AND level = 'none' THEN 0
        WHEN dimension = 'state_management' AND level = 'clerk' THEN 1
        WHEN dimension = 'state_management' AND level = 'specialist' THEN 2
        WHEN dimension = 'state_management' AND level = 'principal_specialist' THEN 3
        WHEN dimension = 'state_management' AND level = 'senior_specialist' THEN 4
        WHEN dimension = 'it' AND level = 'none' THEN 0
        WHEN dimension = 'it' AND level = 'basic' THEN 1
        WHEN dimension = 'it' AND level = 'advanced' THEN 2
        WHEN dimension = 'foreign_language' AND level = 'none' THEN 0
        WHEN dimension = 'foreign_language' AND level = 'level_1' THEN 1
        WHEN dimension = 'foreign_language' AND level = 'level_2' THEN 2
        WHEN dimension = 'foreign_language' AND level = 'level_3' THEN 3
        WHEN dimension = 'foreign_language' AND level = 'level_4' THEN 4
        WHEN dimension = 'foreign_language' AND level = 'level_5' THEN 5
        WHEN dimension = 'foreign_language' AND level = 'level_6' THEN 6
        ELSE 0 END,
    level_rank = CASE
        WHEN dimension = 'education' AND level = 'none' THEN 0
        WHEN dimension = 'education' AND level = 'elementary' THEN 1
        WHEN dimension = 'education' AND level = 'intermediate' THEN 2
        WHEN dimension = 'education' AND level = 'college' THEN 3
        WHEN dimension = 'education' AND level = 'university' THEN 4
        WHEN dimension = 'education' AND level = 'master' THEN 5
        WHEN dimension = 'education' AND level = 'doctorate' THEN 6
        WHEN dimension = 'political_theory' AND level = 'none' THEN 0
        WHEN dimension = 'political_theory' AND level = 'elementary' THEN 1
        WHEN dimension = 'political_theory' AND level = 'intermediate' THEN 2
        WHEN dimension = 'political_theory' AND level = 'advanced' THEN 3
        WHEN dimension = 'political_theory' AND level = 'bachelor' THEN 3
        WHEN dimension = 'state_management' AND level = 'none' THEN 0
        WHEN dimension = 'state_management' AND level = 'clerk' THEN 1
        WHEN dimension = 'state_management' AND level = 'specialist' THEN 2
        WHEN dimension = 'state_management' AND level = 'principal_specialist' THEN 3
        WHEN dimension = 'state_management' AND level = 'senior_specialist' THEN 4
        WHEN dimension = 'it' AND level = 'none' THEN 0
        WHEN dimension = 'it' AND level = 'basic' THEN 1
        WHEN dimension = 'it' AND level = 'advanced' THEN 2
        WHEN dimension = 'foreign_language' AND level = 'none' THEN 0
        WHEN dimension = 'foreign_language' AND level = 'level_1' THEN 1
        WHEN dimension = 'foreign_language' AND level = 'level_2' THEN 2
        WHEN dimension = 'foreign_language' AND level = 'level_3' THEN 3
        WHEN dimension = 'foreign_language' AND level = 'level_4' THEN 4
        WHEN dimension = 'foreign_language' AND level = 'level_5' THEN 5
        WHEN dimension = 'foreign_language' AND level = 'level_6' THEN 6
        ELSE 0 END;

ALTER TABLE positions ADD COLUMN min_education_rank INTEGER;
ALTER TABLE positions ADD COLUMN min_political_theory_rank INTEGER;
ALTER TABLE positions ADD COLUMN min_state_management_rank INTEGER;
UPDATE positions SET
    min_education_rank = CASE
        WHEN min_education = 'none' THEN 0
        WHEN min_education = 'elementary' THEN 1
        WHEN min_education = 'intermediate' THEN 2
        WHEN min_education = 'college' THEN 3
        WHEN min_education = 'university' THEN 4
        WHEN min_education = 'master' THEN 5
        WHEN min_education = 'doctorate' THEN 6
        ELSE NULL END,
    min_political_theory_rank = CASE
        WHEN min_political_theory = 'none' THEN 0
        WHEN min_political_theory = 'elementary' THEN 1
        WHEN min_political_theory = 'intermediate' THEN 2
        WHEN min_political_theory = 'advanced' THEN 3
        WHEN min_political_theory = 'bachelor' THEN 3
        ELSE NULL END,
    min_state_management_rank = CASE
        WHEN min_state_management = 'none' THEN 0
        WHEN min_state_management = 'clerk' THEN 1
        WHEN min_state_management = 'specialist' THEN 2
        WHEN min_state_management = 'principal_specialist' THEN 3
        WHEN min_state_management = 'senior_specialist' THEN 4
        ELSE NULL END;

-- Who was in a subtree on a day: assignments by unit and start, carrying what the reports read.
CREATE INDEX assignments_report ON assignments (unit_id, started_on, ended_on, official_id, category, position_id);
-- The best level of each official in each dimension by a day.
CREATE INDEX qualifications_report ON qualifications (official_id, dimension, awarded_on, level_order, level_rank);
-- Counted enrollments per class.
CREATE INDEX enrollments_class_status ON enrollments (class_id, status);
