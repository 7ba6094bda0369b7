-- Concurrency: what concurrent writers lock, and what the database itself refuses.

-- Named locks: a write that reads the shape of the whole unit tree (a move, a new unit)
-- locks the row 'unit_tree' first, so that such writes run one at a time.
CREATE TABLE locks (
    name TEXT PRIMARY KEY
);
INSERT INTO locks (name) VALUES ('unit_tree');

-- An official has at most one open assignment, whatever the writers do.
CREATE UNIQUE INDEX assignments_open ON assignments (official_id) WHERE ended_on IS NULL;
