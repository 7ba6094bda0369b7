-- Civil-service ranks (ngạch) as dated history, like assignments (issue #14): each record
-- says which rank an official holds from a day on, until the next record; the rank held
-- today is kept on the official, in the same transaction as every change of the history.
CREATE TABLE official_ranks (
    id BIGSERIAL PRIMARY KEY,
    official_id BIGINT NOT NULL REFERENCES officials (id),
    rank TEXT NOT NULL,
    since DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- A record is not changed, only deleted (a mistake), at its version.
    version INTEGER NOT NULL DEFAULT 1
);
-- One rank a day; the reports find the one held on a day by this index.
CREATE UNIQUE INDEX official_ranks_official_id_since ON official_ranks (official_id, since);
ALTER TABLE officials ADD COLUMN rank TEXT;
