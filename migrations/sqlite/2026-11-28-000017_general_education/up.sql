-- General education (trình độ giáo dục phổ thông), as the personnel record writes it:
-- `12/12`, `9/12`, `10/10` (issue #14). The service checks the form.
ALTER TABLE officials ADD COLUMN general_education TEXT;
