DROP INDEX officials_national_id;
ALTER TABLE officials DROP COLUMN religion;
ALTER TABLE officials DROP COLUMN ethnicity;
ALTER TABLE officials DROP COLUMN national_id;
