DROP TRIGGER officials_revise_posts;
DROP TRIGGER assignments_revise_posts_delete;
DROP TRIGGER assignments_revise_posts_update;
DROP TRIGGER assignments_revise_posts_insert;
DROP TRIGGER enrollments_revise_post_update;
DROP TRIGGER enrollments_revise_post_insert;
DROP INDEX enrollments_completed;
CREATE INDEX enrollments_completed ON enrollments
    (sending_unit_id, completed_on, official_id, course_id, location, study_mode, cost_vnd, official_gender)
    WHERE status = 'completed';
ALTER TABLE enrollments DROP COLUMN official_position_id;
