-- The push function of V3, with the same arguments, answers and effects, in fewer statements
-- (issue 17). On Citus every statement inside the function is planned by Citus on the tenant's
-- worker (an INSERT ... SELECT some 0.15-0.4 ms, a single-row INSERT about 0.05 ms, each time), so:
-- - the change log takes the accepted versions in one statement instead of one INSERT a row: they
--   are exactly the rows of `sealed_rows` whose sequence lies in this push's range (the sequence is
--   unique, handed out only under the lock on `head`, and a row not accepted keeps its older one);
--   `accepted_at` is given (the same `now()` as its default) because Citus 13.2 deparses an
--   INSERT ... SELECT that needs a value computed before it runs with a broken `( IS NOT NULL)`;
-- - the lock on `head` and the look-up of the push id are two statements. The second then reads
--   after the lock is held, so a push retried while its first attempt is still committing is
--   answered as a duplicate (in V3 it read before the wait and failed on `pushes`' key).
CREATE OR REPLACE FUNCTION push_changes(
    p_entities TEXT[], p_ids TEXT[], p_hlcs BIGINT[], p_devices TEXT[], p_tombstones BOOLEAN[],
    p_ciphertexts BYTEA[], p_push_id TEXT, p_device TEXT,
    OUT n_accepted INTEGER, OUT n_stale INTEGER, OUT new_head BIGINT, OUT was_duplicate BOOLEAN)
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    old_head BIGINT;
    n INTEGER := coalesce(cardinality(p_ids), 0);
    accepted_now TIMESTAMPTZ := now();
BEGIN
    SELECT seq INTO old_head FROM head FOR UPDATE;
    SELECT accepted, stale, head INTO n_accepted, n_stale, new_head FROM pushes WHERE push_id = p_push_id;
    was_duplicate := FOUND;
    IF was_duplicate THEN
        RETURN;
    END IF;
    -- Joined with `head` so that Citus sees the tenant's tables alone and runs it on the worker
    -- (rows from `unnest` alone would be pulled through the coordinator).
    INSERT INTO sealed_rows AS r (entity, id, hlc, device, tombstone, ciphertext, seq)
    SELECT i.entity, i.id, i.hlc, i.device, i.tombstone, i.ciphertext, h.seq + i.ord
    FROM head h, unnest(p_entities, p_ids, p_hlcs, p_devices, p_tombstones, p_ciphertexts)
         WITH ORDINALITY AS i (entity, id, hlc, device, tombstone, ciphertext, ord)
    ON CONFLICT (entity, id) DO UPDATE SET hlc = EXCLUDED.hlc, device = EXCLUDED.device,
        tombstone = EXCLUDED.tombstone, ciphertext = EXCLUDED.ciphertext, seq = EXCLUDED.seq
    WHERE (r.hlc, r.device COLLATE "C") < (EXCLUDED.hlc, EXCLUDED.device COLLATE "C");
    GET DIAGNOSTICS n_accepted = ROW_COUNT;
    INSERT INTO change_log (seq, entity, id, hlc, device, tombstone, push_id, accepted_at)
    SELECT seq, entity, id, hlc, device, tombstone, p_push_id, accepted_now
    FROM sealed_rows WHERE seq > old_head AND seq <= old_head + n;
    n_stale := n - n_accepted;
    new_head := old_head + n;
    UPDATE head SET seq = new_head;
    INSERT INTO pushes (push_id, device, accepted, stale, head)
        VALUES (p_push_id, p_device, n_accepted, n_stale, new_head);
END
$$;
