DROP INDEX officials_current;
