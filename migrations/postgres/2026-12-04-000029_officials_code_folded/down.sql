DROP INDEX officials_code_folded;
