DROP TRIGGER units_revise_search_regions ON units;
DROP FUNCTION units_revise_search_regions();

CREATE OR REPLACE FUNCTION officials_revise_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_words WHERE kind IN (1, 2) AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key)
    SELECT 1, NEW.id, w, NEW.unit_id, NEW.given_name_key FROM search_words_of(NEW.search_name, NEW.code) AS w;
    INSERT INTO search_words (kind, record_id, word, unit_id, sort_key)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id, NEW.given_name_key WHERE coalesce(NEW.national_id, '') <> '';
    RETURN NULL;
END $$;

DROP INDEX search_words_in_region;
DROP FUNCTION unit_region(TEXT);
ALTER TABLE search_words DROP COLUMN region_id;
