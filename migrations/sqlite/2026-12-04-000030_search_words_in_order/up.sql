-- An official's words carry the official's place in the list's default order (issue #17):
-- `sort_key` is their `given_name_key`, and the words' index is ordered by it within each
-- word, so that the officials holding a word are read from the index in name order. A
-- search across the country of common words then reads its first page from the words of
-- one word typed, in order, checking each holder's other words, instead of gathering every
-- match (or walking the officials' name index, where the people a name search finds lie in
-- clusters: those named "Nguyễn Văn …" follow every other "… An"). The index replaces the
-- one ordered by record id; the gather reads the record ids from this one as well.
ALTER TABLE search_words ADD COLUMN sort_key TEXT;
UPDATE search_words SET sort_key = (SELECT o.given_name_key FROM officials o WHERE o.id = search_words.record_id)
    WHERE kind IN (1, 2);
DROP INDEX search_words_by_word;
CREATE INDEX search_words_in_order ON search_words (kind, word, sort_key, record_id);

DROP TRIGGER officials_revise_search_words_insert;
DROP TRIGGER officials_revise_search_words_update;
CREATE TRIGGER officials_revise_search_words_insert AFTER INSERT ON officials BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id, sort_key)
    SELECT 1, NEW.id, value, NEW.unit_id, NEW.given_name_key FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id, NEW.given_name_key WHERE coalesce(NEW.national_id, '') <> '';
END;
CREATE TRIGGER officials_revise_search_words_update AFTER UPDATE OF search_name, code, national_id, unit_id, given_name_key ON officials BEGIN
    DELETE FROM search_words WHERE kind = 1 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id, sort_key)
    SELECT 1, NEW.id, value, NEW.unit_id, NEW.given_name_key FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE value <> '';
    DELETE FROM search_words WHERE kind = 2 AND record_id = NEW.id;
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id, NEW.given_name_key WHERE coalesce(NEW.national_id, '') <> '';
END;
