-- A leading or managing post (lãnh đạo, quản lý), as the year's training results count
-- those who hold one (issue #14).
ALTER TABLE positions ADD COLUMN leadership BOOLEAN NOT NULL DEFAULT 0;
