-- Unit paths ('/1/5/12/': digits and '/') compare byte by byte, so that a subtree is one
-- range of the index, [path, path || '~'). SQLite's BINARY collation already orders them
-- so: this migration changes PostgreSQL's column only, and is here to keep both sets in step.
SELECT 1;
