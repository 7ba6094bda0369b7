DROP INDEX officials_given_name;
ALTER TABLE officials DROP COLUMN given_name_key;
