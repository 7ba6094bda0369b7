DROP TRIGGER officials_counts_delete ON officials;
DROP TRIGGER officials_counts_update ON officials;
DROP TRIGGER officials_counts_insert ON officials;
DROP FUNCTION unit_level_counts_apply();
DROP FUNCTION official_level_rows(officials);
DROP TABLE unit_level_counts;
DROP INDEX enrollments_sent;
CREATE INDEX enrollments_sending_unit ON enrollments (sending_unit_id, status);
ALTER TABLE enrollments DROP COLUMN starts_on;
