-- Training plans: one per unit per year, approved up the tree (draft → submitted →
-- approved | returned → …; approved → closed), and what each plans to send people to.
CREATE TABLE plans (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    -- Why the level above returned it, until it is submitted again.
    return_reason TEXT,
    note TEXT,
    submitted_at TIMESTAMP,
    approved_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_id, year),
    CHECK (year BETWEEN 1945 AND 2100)
);
CREATE INDEX plans_year ON plans (year, status);

-- One line of a plan: a course, or a kind of course and the level it should confer. The
-- kind, dimension and level of a course are copied when the line names it: the plan keeps
-- what was planned.
CREATE TABLE plan_items (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    course_id BIGINT REFERENCES courses (id),
    kind TEXT NOT NULL,
    dimension TEXT,
    level TEXT,
    seats INTEGER NOT NULL,
    quarter INTEGER,
    cost_vnd BIGINT NOT NULL DEFAULT 0,
    purpose TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (seats >= 0),
    CHECK (quarter BETWEEN 1 AND 4),
    CHECK (cost_vnd >= 0),
    CHECK ((dimension IS NULL) = (level IS NULL))
);
CREATE INDEX plan_items_plan ON plan_items (plan_id);
CREATE INDEX plan_items_course ON plan_items (course_id);
