-- The completions of a period, sent by the units of a subtree, one range per unit: what the
-- year's training results read (issue #14).
CREATE INDEX IF NOT EXISTS enrollments_completed ON enrollments (sending_unit_id, completed_on) WHERE status = 'completed';
