DROP TABLE users;
DROP TABLE qualifications;
DROP TABLE assignments;
DROP TABLE officials;
DROP TABLE positions;
DROP TABLE units;
