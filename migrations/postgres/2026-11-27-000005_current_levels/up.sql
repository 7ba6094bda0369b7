-- Today's reports read the current levels kept on each official: one index-only pass
-- over the officials of the units of a subtree.
CREATE INDEX officials_current ON officials (unit_id, status, category, education, political_theory, state_management, it, foreign_language);
