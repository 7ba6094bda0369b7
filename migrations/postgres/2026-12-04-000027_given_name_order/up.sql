-- People are listed as Vietnamese lists order them (issue #17): by given name, then middle
-- and family names, in the Vietnamese alphabet, tones after letters. The key is computed by
-- the service (`domain::given_name_key`) on every write of a name, and compared byte by byte
-- (the "C" collation: the database's own would skip its separators). Rows written before
-- this migration hold '' until the service fills them, right after migrating.
ALTER TABLE officials ADD COLUMN given_name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX officials_given_name ON officials (given_name_key, id);
