COMMENT ON TRIGGER officials_counts_update ON officials IS NULL;
