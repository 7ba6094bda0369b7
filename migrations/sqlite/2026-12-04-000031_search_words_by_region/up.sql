-- An official's words carry their region (issue #17): the unit on the tree's second level
-- their unit lies under (a province under the country; the unit itself when it is on that
-- level; none for a root's own officials), read from the unit's path (`/1/52/301/`: its second id). The
-- words of one region are indexed in name order, as the words of the whole country are, so
-- that a search within a region reads its first page from the index in order — the region's
-- holders of each word typed, joined by leapfrogging — instead of gathering every match of
-- the region. Kept in step by the officials' triggers (a move to another unit writes the
-- words again) and by the units' (a unit moved under another region takes its officials'
-- words along). PostgreSQL names the path's reading `unit_region`; SQLite writes it out.
ALTER TABLE search_words ADD COLUMN region_id BIGINT;
UPDATE search_words SET region_id = (SELECT CASE WHEN instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1, instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') - 1) AS INTEGER) END FROM units u WHERE u.id = search_words.unit_id)
    WHERE kind IN (1, 2);
CREATE INDEX search_words_in_region ON search_words (kind, region_id, word, sort_key, record_id)
    WHERE region_id IS NOT NULL;

DROP TRIGGER officials_revise_search_words_insert;
DROP TRIGGER officials_revise_search_words_update;
CREATE TRIGGER officials_revise_search_words_insert AFTER INSERT ON officials BEGIN
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id, sort_key, region_id)
    SELECT 1, NEW.id, value, NEW.unit_id, NEW.given_name_key, CASE WHEN instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1, instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') - 1) AS INTEGER) END FROM units u, json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE u.id = NEW.unit_id AND value <> '';
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key, region_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id, NEW.given_name_key, CASE WHEN instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1, instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') - 1) AS INTEGER) END FROM units u WHERE u.id = NEW.unit_id AND coalesce(NEW.national_id, '') <> '';
END;
CREATE TRIGGER officials_revise_search_words_update AFTER UPDATE OF search_name, code, national_id, unit_id, given_name_key ON officials BEGIN
    DELETE FROM search_words WHERE kind = 1 AND record_id = NEW.id;
    INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id, sort_key, region_id)
    SELECT 1, NEW.id, value, NEW.unit_id, NEW.given_name_key, CASE WHEN instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1, instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') - 1) AS INTEGER) END FROM units u, json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]') THEN '["' || replace(replace(replace(NEW.search_name || ' ' || lower(NEW.code), '\', '\\'), '"', '\"'), ' ', '","') || '"]' ELSE '[]' END) WHERE u.id = NEW.unit_id AND value <> '';
    DELETE FROM search_words WHERE kind = 2 AND record_id = NEW.id;
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key, region_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id, NEW.given_name_key, CASE WHEN instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1, instr(substr(substr(u.path, 2), instr(substr(u.path, 2), '/') + 1), '/') - 1) AS INTEGER) END FROM units u WHERE u.id = NEW.unit_id AND coalesce(NEW.national_id, '') <> '';
END;

CREATE TRIGGER units_revise_search_regions AFTER UPDATE OF path ON units
WHEN (CASE WHEN instr(substr(substr(OLD.path, 2), instr(substr(OLD.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(OLD.path, 2), instr(substr(OLD.path, 2), '/') + 1, instr(substr(substr(OLD.path, 2), instr(substr(OLD.path, 2), '/') + 1), '/') - 1) AS INTEGER) END) IS NOT (CASE WHEN instr(substr(substr(NEW.path, 2), instr(substr(NEW.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(NEW.path, 2), instr(substr(NEW.path, 2), '/') + 1, instr(substr(substr(NEW.path, 2), instr(substr(NEW.path, 2), '/') + 1), '/') - 1) AS INTEGER) END) BEGIN
    UPDATE search_words SET region_id = CASE WHEN instr(substr(substr(NEW.path, 2), instr(substr(NEW.path, 2), '/') + 1), '/') > 0 THEN CAST(substr(substr(NEW.path, 2), instr(substr(NEW.path, 2), '/') + 1, instr(substr(substr(NEW.path, 2), instr(substr(NEW.path, 2), '/') + 1), '/') - 1) AS INTEGER) END WHERE kind IN (1, 2) AND unit_id = NEW.id;
END;
