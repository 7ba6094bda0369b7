DROP TRIGGER officials_revise_posts ON officials;
DROP TRIGGER assignments_revise_posts_delete ON assignments;
DROP TRIGGER assignments_revise_posts_update ON assignments;
DROP TRIGGER assignments_revise_posts_insert ON assignments;
DROP TRIGGER enrollments_revise_post_update ON enrollments;
DROP TRIGGER enrollments_revise_post_insert ON enrollments;
DROP FUNCTION officials_revise_posts();
DROP FUNCTION assignments_revise_posts();
DROP FUNCTION enrollments_follow_posts(BIGINT);
DROP FUNCTION enrollments_take_post();
DROP INDEX enrollments_completed;
CREATE INDEX enrollments_completed ON enrollments
    (sending_unit_id, completed_on, official_id, course_id, location, study_mode, cost_vnd, official_gender)
    WHERE status = 'completed';
ALTER TABLE enrollments DROP COLUMN official_position_id;
DROP FUNCTION official_post_on(BIGINT, DATE);
