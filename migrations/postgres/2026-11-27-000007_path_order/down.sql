DROP INDEX units_path;
ALTER TABLE units ALTER COLUMN path TYPE TEXT COLLATE "default";
CREATE INDEX units_path ON units (path text_pattern_ops);
