-- The year-end workforce statistics, kept once computed (issue #14): each unit's own staff
-- on a day, counted per category, valid while nothing the count reads has changed since.

-- A unit's revision: raised, by the transaction itself, by every write that can change who was
-- in the unit on some day or what they were then (an assignment in it; a qualification,
-- rank or personal field of someone ever assigned to it). A unit with no row is at 0.
CREATE TABLE unit_revisions (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id) ON DELETE CASCADE,
    revision BIGINT NOT NULL
);

-- The counts of a unit's own staff on `as_of`: category '' for every category, one row per
-- category with anyone in it; `counts` a JSON object of the report's columns, `layout` a
-- fingerprint of those columns. Valid while `revision` is the unit's and `layout` the
-- report's; replaced whole (every category of the unit and day) when not.
CREATE TABLE workforce_counts (
    as_of DATE NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    revision BIGINT NOT NULL,
    layout TEXT NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (as_of, unit_id, category)
);

-- The reports that fill workforce_counts do it one at a time.
INSERT INTO locks (name) VALUES ('workforce_counts');

-- The units a transaction raises, collected as it writes and raised when it commits. Raised
-- at once, two transactions that each wrote people of two units (a move from A to B beside
-- a move from B to A, or a record of someone who was in both) took the two revisions in
-- opposite orders and deadlocked; at commit each transaction raises all of its units in one
-- statement, in key order, after every other lock it takes. (SQLite, one writer at a time,
-- raises at once and leaves this table empty.)
CREATE TABLE unit_revisions_pending (
    xid BIGINT NOT NULL,
    unit_id BIGINT NOT NULL
);
CREATE INDEX unit_revisions_pending_xid ON unit_revisions_pending (xid);

-- Notes the units of `units` for raising when the transaction commits.
CREATE FUNCTION unit_revisions_raise(units BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT pg_current_xact_id()::text::bigint, u FROM unnest(units) AS u WHERE u IS NOT NULL
$$;

-- At commit: the first of the transaction's pending rows raises them all (the others find
-- none left). A unit deleted meanwhile has no revision left to raise.
CREATE FUNCTION unit_revisions_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH taken AS (
        DELETE FROM unit_revisions_pending WHERE xid = pg_current_xact_id()::text::bigint RETURNING unit_id
    )
    INSERT INTO unit_revisions (unit_id, revision)
    SELECT DISTINCT t.unit_id, 1 FROM taken t JOIN units u ON u.id = t.unit_id ORDER BY t.unit_id
    ON CONFLICT (unit_id) DO UPDATE SET revision = unit_revisions.revision + 1;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER unit_revisions_pending_raise AFTER INSERT ON unit_revisions_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION unit_revisions_commit();

-- An assignment written: its unit, before and after.
CREATE FUNCTION assignments_revise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM unit_revisions_raise(ARRAY(SELECT unit_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM unit_revisions_raise(ARRAY(SELECT unit_id FROM old_rows));
    ELSE
        PERFORM unit_revisions_raise(ARRAY(SELECT unit_id FROM old_rows UNION SELECT unit_id FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;

-- A qualification or a rank written: every unit its official was ever assigned to.
CREATE FUNCTION official_history_revise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM unit_revisions_raise(ARRAY(
            SELECT a.unit_id FROM assignments a WHERE a.official_id IN (SELECT official_id FROM new_rows)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM unit_revisions_raise(ARRAY(
            SELECT a.unit_id FROM assignments a WHERE a.official_id IN (SELECT official_id FROM old_rows)));
    ELSE
        PERFORM unit_revisions_raise(ARRAY(
            SELECT a.unit_id FROM assignments a WHERE a.official_id IN (
                SELECT official_id FROM old_rows UNION SELECT official_id FROM new_rows)));
    END IF;
    RETURN NULL;
END
$$;

-- An official's personal fields the statistics count changed: every unit they were ever
-- assigned to. (Their current levels and unit follow their history, which raises already.)
CREATE FUNCTION officials_revise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM unit_revisions_raise(ARRAY(
        SELECT a.unit_id FROM assignments a WHERE a.official_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.gender, n.date_of_birth, n.ethnicity, n.religion, n.party_joined_on)
                IS DISTINCT FROM (o.gender, o.date_of_birth, o.ethnicity, o.religion, o.party_joined_on))));
    RETURN NULL;
END
$$;

CREATE TRIGGER assignments_revise_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_revise();
CREATE TRIGGER assignments_revise_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_revise();
CREATE TRIGGER assignments_revise_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_revise();
CREATE TRIGGER qualifications_revise_insert AFTER INSERT ON qualifications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION official_history_revise();
CREATE TRIGGER qualifications_revise_update AFTER UPDATE ON qualifications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION official_history_revise();
CREATE TRIGGER qualifications_revise_delete AFTER DELETE ON qualifications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION official_history_revise();
CREATE TRIGGER official_ranks_revise_insert AFTER INSERT ON official_ranks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION official_history_revise();
CREATE TRIGGER official_ranks_revise_update AFTER UPDATE ON official_ranks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION official_history_revise();
CREATE TRIGGER official_ranks_revise_delete AFTER DELETE ON official_ranks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION official_history_revise();
CREATE TRIGGER officials_revise_update AFTER UPDATE ON officials
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION officials_revise();
