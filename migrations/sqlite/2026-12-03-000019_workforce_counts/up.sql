-- The year-end workforce statistics, kept once computed (issue #14): each unit's own staff
-- on a day, counted per category, valid while nothing the count reads has changed since.

-- A unit's revision: raised, in the same transaction, by every write that can change who was
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

-- The units a write raises, noted here. PostgreSQL raises a transaction's units when it
-- commits (in key order, so that two transactions never take two revisions in opposite
-- orders); SQLite, one writer at a time, raises each at once and keeps no row.
CREATE TABLE unit_revisions_pending (
    xid BIGINT NOT NULL,
    unit_id BIGINT NOT NULL
);
CREATE INDEX unit_revisions_pending_xid ON unit_revisions_pending (xid);

CREATE TRIGGER unit_revisions_pending_raise AFTER INSERT ON unit_revisions_pending
BEGIN
    INSERT INTO unit_revisions (unit_id, revision)
    SELECT NEW.unit_id, 1 WHERE EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id)
    ON CONFLICT (unit_id) DO UPDATE SET revision = revision + 1;
    DELETE FROM unit_revisions_pending WHERE rowid = NEW.rowid;
END;

-- The reports that fill workforce_counts do it one at a time.
INSERT INTO locks (name) VALUES ('workforce_counts');

-- An assignment written: its unit, before and after.
CREATE TRIGGER assignments_revise_insert AFTER INSERT ON assignments
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id) VALUES (0, NEW.unit_id);
END;
CREATE TRIGGER assignments_revise_update AFTER UPDATE ON assignments
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT 0, u FROM (SELECT OLD.unit_id AS u UNION SELECT NEW.unit_id);
END;
CREATE TRIGGER assignments_revise_delete AFTER DELETE ON assignments
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id) VALUES (0, OLD.unit_id);
END;

-- A qualification or a rank written: every unit its official was ever assigned to.
CREATE TRIGGER qualifications_revise_insert AFTER INSERT ON qualifications
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id = NEW.official_id;
END;
CREATE TRIGGER qualifications_revise_update AFTER UPDATE ON qualifications
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id IN (OLD.official_id, NEW.official_id);
END;
CREATE TRIGGER qualifications_revise_delete AFTER DELETE ON qualifications
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id = OLD.official_id;
END;
CREATE TRIGGER official_ranks_revise_insert AFTER INSERT ON official_ranks
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id = NEW.official_id;
END;
CREATE TRIGGER official_ranks_revise_update AFTER UPDATE ON official_ranks
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id IN (OLD.official_id, NEW.official_id);
END;
CREATE TRIGGER official_ranks_revise_delete AFTER DELETE ON official_ranks
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id = OLD.official_id;
END;

-- An official's personal fields the statistics count changed: every unit they were ever
-- assigned to. (Their current levels and unit follow their history, which raises already.)
CREATE TRIGGER officials_revise_update AFTER UPDATE ON officials
WHEN OLD.gender IS NOT NEW.gender OR OLD.date_of_birth IS NOT NEW.date_of_birth
    OR OLD.ethnicity IS NOT NEW.ethnicity OR OLD.religion IS NOT NEW.religion
    OR OLD.party_joined_on IS NOT NEW.party_joined_on
BEGIN
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT 0, unit_id FROM assignments WHERE official_id = NEW.id;
END;
