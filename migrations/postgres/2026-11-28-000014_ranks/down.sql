ALTER TABLE officials DROP COLUMN rank;
DROP TABLE official_ranks;
