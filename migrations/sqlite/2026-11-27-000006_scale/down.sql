DROP TRIGGER officials_counts_enter;
DROP TRIGGER officials_counts_leave;
DROP TRIGGER officials_counts_delete;
DROP TRIGGER officials_counts_insert;
DROP TABLE unit_level_counts;
DROP INDEX enrollments_sent;
CREATE INDEX enrollments_sending_unit ON enrollments (sending_unit_id, status);
ALTER TABLE enrollments DROP COLUMN starts_on;
