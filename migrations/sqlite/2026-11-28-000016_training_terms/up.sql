-- Where and how training happened and what it cost (issue #14), as the year's training
-- results count them. A class holds the defaults its enrollments copy when they are made
-- (location, study mode, funding, each learner's cost) and its own cost; an enrollment
-- holds its own values, which may differ from its class's.
ALTER TABLE classes ADD COLUMN location TEXT NOT NULL DEFAULT 'domestic';
ALTER TABLE classes ADD COLUMN study_mode TEXT NOT NULL DEFAULT 'full_time';
ALTER TABLE classes ADD COLUMN funding TEXT NOT NULL DEFAULT 'state_budget';
ALTER TABLE classes ADD COLUMN cost_vnd BIGINT NOT NULL DEFAULT 0 CHECK (cost_vnd >= 0);
ALTER TABLE classes ADD COLUMN learner_cost_vnd BIGINT NOT NULL DEFAULT 0 CHECK (learner_cost_vnd >= 0);
ALTER TABLE enrollments ADD COLUMN location TEXT NOT NULL DEFAULT 'domestic';
ALTER TABLE enrollments ADD COLUMN study_mode TEXT NOT NULL DEFAULT 'full_time';
ALTER TABLE enrollments ADD COLUMN funding TEXT NOT NULL DEFAULT 'state_budget';
ALTER TABLE enrollments ADD COLUMN cost_vnd BIGINT NOT NULL DEFAULT 0 CHECK (cost_vnd >= 0);
