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
--
-- The words are split out of the folded text as a JSON array (triggers cannot hold the
-- recursive query that would split them otherwise): the service's folding leaves no
-- control character in it, and a text that would still not make an array gives no words
-- rather than failing the write.
CREATE TABLE search_words (
    kind SMALLINT NOT NULL,
    record_id BIGINT NOT NULL,
    word TEXT NOT NULL,
    unit_id BIGINT,
    PRIMARY KEY (kind, record_id, word)
) WITHOUT ROWID;
CREATE INDEX search_words_by_word ON search_words (kind, word, record_id);
CREATE INDEX search_words_by_unit ON search_words (kind, unit_id, word, record_id) WHERE unit_id IS NOT NULL;

CREATE TRIGGER officials_revise_search_words_insert AFTER INSERT ON officials BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 1, NEW.id, value, NEW.unit_id FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
    INSERT INTO search_words (kind, record_id, word, unit_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id WHERE coalesce(NEW.national_id, '') <> '';
END;
CREATE TRIGGER officials_revise_search_words_update AFTER UPDATE OF search_name, code, national_id, unit_id ON officials BEGIN
    DELETE FROM search_words WHERE kind = 1 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 1, NEW.id, value, NEW.unit_id FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
    DELETE FROM search_words WHERE kind = 2 AND record_id = NEW.id;
    INSERT INTO search_words (kind, record_id, word, unit_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id WHERE coalesce(NEW.national_id, '') <> '';
END;
CREATE TRIGGER officials_revise_search_words_delete AFTER DELETE ON officials BEGIN
    DELETE FROM search_words WHERE kind IN (1, 2) AND record_id = OLD.id;
END;

CREATE TRIGGER units_revise_search_words_insert AFTER INSERT ON units BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 3, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER units_revise_search_words_update AFTER UPDATE OF search_name, code ON units BEGIN
    DELETE FROM search_words WHERE kind = 3 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 3, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER units_revise_search_words_delete AFTER DELETE ON units BEGIN
    DELETE FROM search_words WHERE kind = 3 AND record_id = OLD.id;
END;

CREATE TRIGGER positions_revise_search_words_insert AFTER INSERT ON positions BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 4, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER positions_revise_search_words_update AFTER UPDATE OF search_title, code ON positions BEGIN
    DELETE FROM search_words WHERE kind = 4 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 4, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER positions_revise_search_words_delete AFTER DELETE ON positions BEGIN
    DELETE FROM search_words WHERE kind = 4 AND record_id = OLD.id;
END;

CREATE TRIGGER courses_revise_search_words_insert AFTER INSERT ON courses BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 5, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER courses_revise_search_words_update AFTER UPDATE OF search_title, code ON courses BEGIN
    DELETE FROM search_words WHERE kind = 5 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 5, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_title || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER courses_revise_search_words_delete AFTER DELETE ON courses BEGIN
    DELETE FROM search_words WHERE kind = 5 AND record_id = OLD.id;
END;

CREATE TRIGGER classes_revise_search_words_insert AFTER INSERT ON classes BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 6, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER classes_revise_search_words_update AFTER UPDATE OF search_name, code ON classes BEGIN
    DELETE FROM search_words WHERE kind = 6 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id)
    SELECT 6, NEW.id, value, NULL FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
END;
CREATE TRIGGER classes_revise_search_words_delete AFTER DELETE ON classes BEGIN
    DELETE FROM search_words WHERE kind = 6 AND record_id = OLD.id;
END;
