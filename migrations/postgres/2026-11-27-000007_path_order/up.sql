-- Unit paths ('/1/5/12/': digits and '/') compare byte by byte, so that a subtree is one
-- range of the index, [path, path || '~'), on both backends (SQLite's BINARY collation
-- already orders them so).
DROP INDEX units_path;
ALTER TABLE units ALTER COLUMN path TYPE TEXT COLLATE "C";
CREATE INDEX units_path ON units (path);
