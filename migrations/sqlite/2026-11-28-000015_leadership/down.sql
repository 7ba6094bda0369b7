ALTER TABLE positions DROP COLUMN leadership;
