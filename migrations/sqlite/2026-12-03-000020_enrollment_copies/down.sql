-- The table rebuilt without the course and the gender, as the up migration rebuilt it with.
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TRIGGER officials_gender_follows;
CREATE TABLE enrollments_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id BIGINT NOT NULL REFERENCES classes (id),
    official_id BIGINT NOT NULL REFERENCES officials (id),
    -- The unit that sent them, as it was then: it does not follow later moves.
    sending_unit_id BIGINT NOT NULL REFERENCES units (id),
    status TEXT NOT NULL DEFAULT 'nominated',
    result TEXT,
    score DOUBLE PRECISION,
    certificate_no TEXT,
    completed_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    -- The class's first day, kept with each enrollment for the reports' index.
    starts_on DATE NOT NULL,
    location TEXT NOT NULL DEFAULT 'domestic',
    study_mode TEXT NOT NULL DEFAULT 'full_time',
    funding TEXT NOT NULL DEFAULT 'state_budget',
    cost_vnd BIGINT NOT NULL DEFAULT 0 CHECK (cost_vnd >= 0),
    UNIQUE (class_id, official_id)
);
INSERT INTO enrollments_rebuilt (id, class_id, official_id, sending_unit_id, status, result, score, certificate_no,
    completed_on, created_at, updated_at, version, starts_on, location, study_mode, funding, cost_vnd)
SELECT e.id, e.class_id, e.official_id, e.sending_unit_id, e.status, e.result, e.score, e.certificate_no,
    e.completed_on, e.created_at, e.updated_at, e.version, e.starts_on, e.location, e.study_mode, e.funding, e.cost_vnd
FROM enrollments e;
DELETE FROM sqlite_sequence WHERE name = 'enrollments_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'enrollments_rebuilt', seq FROM sqlite_sequence WHERE name = 'enrollments';
DROP TABLE enrollments;
ALTER TABLE enrollments_rebuilt RENAME TO enrollments;
CREATE INDEX enrollments_official_id ON enrollments (official_id);
CREATE INDEX enrollments_class_status ON enrollments (class_id, status);
CREATE INDEX enrollments_sent ON enrollments (sending_unit_id, starts_on, status, official_id, class_id);
CREATE INDEX enrollments_completed ON enrollments (sending_unit_id, completed_on) WHERE status = 'completed';
COMMIT;
PRAGMA foreign_keys = ON;
