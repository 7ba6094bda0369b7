DROP TRIGGER officials_gender_follows ON officials;
DROP FUNCTION enrollments_follow_gender();
DROP INDEX enrollments_completed;
CREATE INDEX enrollments_completed ON enrollments (sending_unit_id, completed_on) WHERE status = 'completed';
DROP INDEX enrollments_sent;
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, class_id);
ALTER TABLE enrollments DROP COLUMN course_id, DROP COLUMN official_gender;
