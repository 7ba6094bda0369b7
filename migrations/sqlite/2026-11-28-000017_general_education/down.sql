ALTER TABLE officials DROP COLUMN general_education;
