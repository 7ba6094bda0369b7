DROP INDEX enrollments_completed;
