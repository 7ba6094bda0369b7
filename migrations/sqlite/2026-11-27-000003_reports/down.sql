DROP INDEX enrollments_class_status;
DROP INDEX qualifications_report;
DROP INDEX assignments_report;
ALTER TABLE positions DROP COLUMN min_state_management_rank;
ALTER TABLE positions DROP COLUMN min_political_theory_rank;
ALTER TABLE positions DROP COLUMN min_education_rank;
ALTER TABLE qualifications DROP COLUMN level_rank;
ALTER TABLE qualifications DROP COLUMN level_order;
