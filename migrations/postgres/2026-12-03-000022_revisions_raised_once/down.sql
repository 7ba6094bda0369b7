CREATE OR REPLACE FUNCTION unit_revisions_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH taken AS (
        DELETE FROM unit_revisions_pending WHERE xid = pg_current_xact_id()::text::bigint RETURNING unit_id
    )
    INSERT INTO unit_revisions (unit_id, revision)
    SELECT DISTINCT t.unit_id, 1 FROM taken t JOIN units u ON u.id = t.unit_id ORDER BY t.unit_id
    ON CONFLICT (unit_id) DO UPDATE SET revision = unit_revisions.revision + 1;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION unit_revisions_raise(units BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT pg_current_xact_id()::text::bigint, u FROM unnest(units) AS u WHERE u IS NOT NULL
$$;
