-- The two migration sets say the same thing (see the SQLite migration of the same name).
-- PostgreSQL's schema already means what SQLite's now does; its counters' update trigger is
-- documented where the database keeps it.
COMMENT ON TRIGGER officials_counts_update ON officials IS
    'Fires on every update of officials; nets the old rows against the new, so only a change of unit, category, status or level moves unit_level_counts.';
