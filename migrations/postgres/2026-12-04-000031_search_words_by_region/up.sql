-- An official's words carry their region (issue #17): the unit on the tree's second level
-- their unit lies under (a province under the country; the unit itself when it is on that
-- level; none for a root's own officials), read from the unit's path. The words of one
-- region are indexed in name order, as the words of the whole country are, so that a search
-- within a region reads its first page from the index in order — the region's holders of
-- each word typed, joined by leapfrogging — instead of gathering every match of the region.
-- Kept in step by the officials' triggers (a move to another unit writes the words again)
-- and by the units' (a unit moved under another region takes its officials' words along).
ALTER TABLE search_words ADD COLUMN region_id BIGINT;

-- The region of a unit at `path` (`/1/52/301/`): the path's second id, if it has one.
CREATE FUNCTION unit_region(path TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE AS $$
    SELECT NULLIF(split_part(path, '/', 3), '')::BIGINT
$$;

UPDATE search_words w SET region_id = unit_region(u.path) FROM units u WHERE w.kind IN (1, 2) AND u.id = w.unit_id;
CREATE INDEX search_words_in_region ON search_words (kind, region_id, word, sort_key, record_id)
    WHERE region_id IS NOT NULL;

CREATE OR REPLACE FUNCTION officials_revise_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    region BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_words WHERE kind IN (1, 2) AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    SELECT unit_region(u.path) INTO region FROM units u WHERE u.id = NEW.unit_id;
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key, region_id)
    SELECT 1, NEW.id, w, NEW.unit_id, NEW.given_name_key, region FROM search_words_of(NEW.search_name, NEW.code) AS w;
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key, region_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id, NEW.given_name_key, region WHERE coalesce(NEW.national_id, '') <> '';
    RETURN NULL;
END $$;

CREATE FUNCTION units_revise_search_regions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_words SET region_id = unit_region(NEW.path) WHERE kind IN (1, 2) AND unit_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER units_revise_search_regions AFTER UPDATE OF path ON units
    FOR EACH ROW WHEN (unit_region(OLD.path) IS DISTINCT FROM unit_region(NEW.path))
    EXECUTE FUNCTION units_revise_search_regions();
