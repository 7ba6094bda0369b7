-- Training: what is taught (courses), its runs (classes), and who was sent (enrollments).

CREATE TABLE courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    search_title TEXT NOT NULL,
    kind TEXT NOT NULL,
    track TEXT NOT NULL,
    confers_dimension TEXT,
    confers_level TEXT,
    field TEXT,
    provider TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((confers_dimension IS NULL) = (confers_level IS NULL))
);
CREATE INDEX courses_kind ON courses (kind);

CREATE TABLE classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    organizer_unit_id BIGINT NOT NULL REFERENCES units (id),
    provider TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    capacity INTEGER,
    external_learners INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'planned',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (starts_on <= ends_on),
    CHECK (external_learners >= 0)
);
CREATE INDEX classes_course_id ON classes (course_id);
CREATE INDEX classes_organizer ON classes (organizer_unit_id, starts_on);
CREATE INDEX classes_starts_on ON classes (starts_on);

CREATE TABLE enrollments (
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
    UNIQUE (class_id, official_id)
);
CREATE INDEX enrollments_official_id ON enrollments (official_id);
CREATE INDEX enrollments_sending_unit ON enrollments (sending_unit_id, status);

-- A qualification that came from completing an enrollment points back at it.
ALTER TABLE qualifications ADD COLUMN enrollment_id BIGINT REFERENCES enrollments (id);
CREATE UNIQUE INDEX qualifications_enrollment_id ON qualifications (enrollment_id);
