DROP TRIGGER units_revise_search_regions;
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
DROP INDEX search_words_in_region;
ALTER TABLE search_words DROP COLUMN region_id;
