-- The identity fields the official statistics count (issue #14): the personal
-- identification number (12 digits, unique when given), the ethnic group and the religion,
-- by the codes of the reference lists in data/ (the service checks the code is listed).
ALTER TABLE officials ADD COLUMN national_id TEXT
    CHECK (national_id GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
ALTER TABLE officials ADD COLUMN ethnicity TEXT CHECK (ethnicity GLOB '[0-9][0-9]');
ALTER TABLE officials ADD COLUMN religion TEXT CHECK (religion GLOB '[0-9][0-9]');
CREATE UNIQUE INDEX officials_national_id ON officials (national_id);
