DROP INDEX qualifications_enrollment_id;
ALTER TABLE qualifications DROP COLUMN enrollment_id;
DROP TABLE enrollments;
DROP TABLE classes;
DROP TABLE courses;
