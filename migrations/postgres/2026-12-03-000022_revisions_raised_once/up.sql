-- A transaction's units were raised at commit by the first of its pending rows' triggers,
-- and every other row's trigger then looked again for rows left: each look walked the index
-- entries of the rows the first had deleted, so a transaction that noted n rows paid for n²
-- (an import of 90,000 officials: 85 s of its 123 s on the bench machine). Now the first
-- raises them all and marks the transaction raised, and the others see the mark; noting a
-- row clears it, so that a row noted after a raise (after `SET CONSTRAINTS … IMMEDIATE`) is
-- raised by its own trigger. The mark lives as long as the transaction (a setting local to
-- it), and a subtransaction rolled back takes its rows, their triggers and its marks along.
CREATE OR REPLACE FUNCTION unit_revisions_raise(units BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('cadre.unit_revisions_raised', '', true);
    INSERT INTO unit_revisions_pending (xid, unit_id)
    SELECT DISTINCT pg_current_xact_id()::text::bigint, u FROM unnest(units) AS u WHERE u IS NOT NULL;
END
$$;

CREATE OR REPLACE FUNCTION unit_revisions_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cadre.unit_revisions_raised', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    WITH taken AS (
        DELETE FROM unit_revisions_pending WHERE xid = pg_current_xact_id()::text::bigint RETURNING unit_id
    )
    INSERT INTO unit_revisions (unit_id, revision)
    SELECT DISTINCT t.unit_id, 1 FROM taken t JOIN units u ON u.id = t.unit_id ORDER BY t.unit_id
    ON CONFLICT (unit_id) DO UPDATE SET revision = unit_revisions.revision + 1;
    PERFORM set_config('cadre.unit_revisions_raised', 'yes', true);
    RETURN NULL;
END
$$;
