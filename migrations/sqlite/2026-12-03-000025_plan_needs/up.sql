-- Training needs: one official registered in a plan for an item of it, or for a level
-- without an item yet, with the reason. The plan's year, and the level's rank (from the
-- domain's table), are copied so that the uniqueness of a need and its fulfilment are read
-- from the row: an official has at most one need per dimension and level in a year, whatever
-- the plan (NULLs are distinct on both backends: a need for an item without a level is
-- unique per item instead).
CREATE TABLE plan_needs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    official_id BIGINT NOT NULL REFERENCES officials (id),
    item_id BIGINT REFERENCES plan_items (id),
    year INTEGER NOT NULL,
    dimension TEXT,
    level TEXT,
    level_rank INTEGER,
    reason TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((dimension IS NULL) = (level IS NULL)),
    CHECK (dimension IS NOT NULL OR item_id IS NOT NULL)
);
CREATE UNIQUE INDEX plan_needs_level ON plan_needs (official_id, year, dimension, level);
CREATE UNIQUE INDEX plan_needs_item ON plan_needs (item_id, official_id);
CREATE INDEX plan_needs_plan ON plan_needs (plan_id, official_id);
