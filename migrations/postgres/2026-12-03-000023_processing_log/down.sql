DROP TABLE processing_log_subjects;
DROP TABLE processing_log;
