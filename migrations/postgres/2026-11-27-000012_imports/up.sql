-- Every spreadsheet import, dry run or not: who, when, what file, what it did.
CREATE TABLE imports (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    -- No foreign key: like the audit log, the record outlives the user it names.
    user_id BIGINT,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    dry_run BOOLEAN NOT NULL,
    file_name TEXT,
    sha256 TEXT NOT NULL,
    rows BIGINT NOT NULL,
    created BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL
);
CREATE INDEX imports_at ON imports (at);
