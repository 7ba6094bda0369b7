-- A search's exact match (rank 0) is the folded name or the code in lower case: read from an
-- index each (`officials (search_name)` and this one) when the list is walked rank by rank.
CREATE INDEX officials_code_folded ON officials (lower(code));
