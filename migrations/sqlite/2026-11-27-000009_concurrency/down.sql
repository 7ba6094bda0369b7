DROP INDEX assignments_open;
DROP TABLE locks;
