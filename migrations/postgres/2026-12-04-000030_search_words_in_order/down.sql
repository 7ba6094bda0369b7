CREATE OR REPLACE FUNCTION officials_revise_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_words WHERE kind IN (1, 2) AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    INSERT INTO search_words (kind, record_id, word, unit_id)
    SELECT 1, NEW.id, w, NEW.unit_id FROM search_words_of(NEW.search_name, NEW.code) AS w;
    INSERT INTO search_words (kind, record_id, word, unit_id)
    SELECT 2, NEW.id, NEW.national_id, NEW.unit_id WHERE coalesce(NEW.national_id, '') <> '';
    RETURN NULL;
END $$;

DROP TRIGGER officials_revise_search_words_update ON officials;
CREATE TRIGGER officials_revise_search_words_update AFTER UPDATE OF search_name, code, national_id, unit_id ON officials
    FOR EACH ROW EXECUTE FUNCTION officials_revise_search_words();
DROP INDEX search_words_in_order;
CREATE INDEX search_words_by_word ON search_words (kind, word, record_id);
ALTER TABLE search_words DROP COLUMN sort_key;
