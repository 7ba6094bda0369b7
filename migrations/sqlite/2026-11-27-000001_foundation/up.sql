-- Foundation: the administrative tree, posts, people, their history and qualifications, users.
-- Timestamps are UTC, stored by diesel as text; dates as 'YYYY-MM-DD'.

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES units (id),
    -- Materialised path of ids, '/1/5/12/': a subtree is one prefix match.
    path TEXT NOT NULL,
    established_on DATE,
    dissolved_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_parent_id ON units (parent_id);
CREATE INDEX units_path ON units (path);

CREATE TABLE positions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    search_title TEXT NOT NULL,
    category TEXT NOT NULL,
    min_education TEXT,
    min_political_theory TEXT,
    min_state_management TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE officials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    gender TEXT NOT NULL,
    date_of_birth DATE,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    position_id BIGINT REFERENCES positions (id),
    category TEXT NOT NULL,
    party_joined_on DATE,
    status TEXT NOT NULL DEFAULT 'active',
    separated_on DATE,
    education TEXT NOT NULL DEFAULT 'none',
    political_theory TEXT NOT NULL DEFAULT 'none',
    state_management TEXT NOT NULL DEFAULT 'none',
    it TEXT NOT NULL DEFAULT 'none',
    foreign_language TEXT NOT NULL DEFAULT 'none',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX officials_unit_id ON officials (unit_id);
CREATE INDEX officials_position_id ON officials (position_id);
CREATE INDEX officials_search_name ON officials (search_name);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    official_id BIGINT NOT NULL REFERENCES officials (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    position_id BIGINT REFERENCES positions (id),
    category TEXT NOT NULL,
    started_on DATE NOT NULL,
    ended_on DATE,
    end_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX assignments_official_id ON assignments (official_id, started_on);
CREATE INDEX assignments_unit_id ON assignments (unit_id, started_on);
CREATE INDEX assignments_position_id ON assignments (position_id);

CREATE TABLE qualifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    official_id BIGINT NOT NULL REFERENCES officials (id),
    dimension TEXT NOT NULL,
    level TEXT NOT NULL,
    field TEXT,
    institution TEXT,
    awarded_on DATE NOT NULL,
    certificate_no TEXT,
    source TEXT NOT NULL DEFAULT 'manual',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX qualifications_official_id ON qualifications (official_id, dimension);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_unit_id ON users (unit_id);
