-- Search by words (issue #17): every word of a record's folded name (the `search_name` or
-- `search_title` the service writes: lower case, without diacritics, one space between
-- words) and its code (ASCII letters in lower case), one row each, so that `q` finds each
-- word the user typed as a prefix, in any order, from an index. An official's national ID
-- is a word of its own kind, searched only for callers who may read it. An official's words
-- carry the unit the official is in, so that a search within a subtree reads only that
-- subtree's words. Kept in step by the triggers below, in the transaction of every write;
-- rows written before this migration get their words from the service right after
-- migrating (`db::fill_search_words`). Kinds: 1 an official's name and code, 2 an
-- official's national ID, 3 a unit, 4 a position, 5 a course, 6 a class.
CREATE TABLE search_words (
    kind SMALLINT NOT NULL,
    record_id BIGINT NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    unit_id BIGINT,
    PRIMARY KEY (kind, record_id, word)
);
CREATE INDEX search_words_by_word ON search_words (kind, word, record_id);
CREATE INDEX search_words_by_unit ON search_words (kind, unit_id, word, record_id) WHERE unit_id IS NOT NULL;

-- The words of a folded name and a code, as SQLite's triggers split them.
CREATE FUNCTION search_words_of(folded TEXT, code TEXT) RETURNS SETOF TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT DISTINCT w FROM regexp_split_to_table(
        folded || ' ' || translate(code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), ' ') AS w
    WHERE w <> ''
$$;

-- A record's words, written (an update first deletes the ones it had).
CREATE FUNCTION search_words_put(k SMALLINT, id BIGINT, folded TEXT, code TEXT, unit BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO search_words (kind, record_id, word, unit_id)
    SELECT k, id, w, unit FROM search_words_of(folded, code) AS w;
$$;

CREATE FUNCTION officials_revise_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_words WHERE kind IN (1, 2) AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    PERFORM search_words_put(1::SMALLINT, NEW.id, NEW.search_name, NEW.code, NEW.unit_id);
    INSERT INTO search_words (kind, record_id, word, unit_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id WHERE coalesce(NEW.national_id, '') <> '';
    RETURN NULL;
END $$;

CREATE FUNCTION records_revise_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k SMALLINT := TG_ARGV[0]::SMALLINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_words WHERE kind = k AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    ELSIF TG_TABLE_NAME IN ('positions', 'courses') THEN
        PERFORM search_words_put(k, NEW.id, NEW.search_title, NEW.code, NULL);
    ELSE
        PERFORM search_words_put(k, NEW.id, NEW.search_name, NEW.code, NULL);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER officials_revise_search_words_insert AFTER INSERT ON officials
    FOR EACH ROW EXECUTE FUNCTION officials_revise_search_words();
CREATE TRIGGER officials_revise_search_words_update AFTER UPDATE OF search_name, code, national_id, unit_id ON officials
    FOR EACH ROW EXECUTE FUNCTION officials_revise_search_words();
CREATE TRIGGER officials_revise_search_words_delete AFTER DELETE ON officials
    FOR EACH ROW EXECUTE FUNCTION officials_revise_search_words();

CREATE TRIGGER units_revise_search_words_insert AFTER INSERT ON units
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(3);
CREATE TRIGGER units_revise_search_words_update AFTER UPDATE OF search_name, code ON units
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(3);
CREATE TRIGGER units_revise_search_words_delete AFTER DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(3);

CREATE TRIGGER positions_revise_search_words_insert AFTER INSERT ON positions
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(4);
CREATE TRIGGER positions_revise_search_words_update AFTER UPDATE OF search_title, code ON positions
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(4);
CREATE TRIGGER positions_revise_search_words_delete AFTER DELETE ON positions
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(4);

CREATE TRIGGER courses_revise_search_words_insert AFTER INSERT ON courses
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(5);
CREATE TRIGGER courses_revise_search_words_update AFTER UPDATE OF search_title, code ON courses
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(5);
CREATE TRIGGER courses_revise_search_words_delete AFTER DELETE ON courses
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(5);

CREATE TRIGGER classes_revise_search_words_insert AFTER INSERT ON classes
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(6);
CREATE TRIGGER classes_revise_search_words_update AFTER UPDATE OF search_name, code ON classes
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(6);
CREATE TRIGGER classes_revise_search_words_delete AFTER DELETE ON classes
    FOR EACH ROW EXECUTE FUNCTION records_revise_search_words(6);
