CREATE INDEX officials_current ON officials (unit_id, status, category, education, political_theory, state_management, it, foreign_language);
