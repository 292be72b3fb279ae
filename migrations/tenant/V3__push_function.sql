-- A push as one function call (issue 17): what `Database::push` does in one statement on plain
-- Postgres, as a function Citus runs on the tenant's worker. A call made outside a transaction
-- block to a function distributed with the tenant's tables (`create_distributed_function`, made by
-- `tenancy` on Citus only) is sent to the worker whole: one routed command a push, where the same
-- work as statements costs one round trip from the coordinator to the worker each. Last writer by
-- HLC (ties by device, byte order), idempotent by push id, sequence numbers handed out in order
-- under the lock on `head`.
CREATE FUNCTION push_changes(
    p_entities TEXT[], p_ids TEXT[], p_hlcs BIGINT[], p_devices TEXT[], p_tombstones BOOLEAN[],
    p_ciphertexts BYTEA[], p_push_id TEXT, p_device TEXT,
    OUT n_accepted INTEGER, OUT n_stale INTEGER, OUT new_head BIGINT, OUT was_duplicate BOOLEAN)
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    old_head BIGINT;
    accepted_seq BIGINT;
    accepted_entity TEXT;
    accepted_id TEXT;
    accepted_hlc BIGINT;
    accepted_device TEXT;
    accepted_tombstone BOOLEAN;
    n INTEGER := coalesce(cardinality(p_ids), 0);
BEGIN
    SELECT h.seq, p.accepted, p.stale, p.head INTO old_head, n_accepted, n_stale, new_head
        FROM head h LEFT JOIN pushes p ON p.push_id = p_push_id FOR UPDATE OF h;
    was_duplicate := new_head IS NOT NULL;
    IF was_duplicate THEN
        RETURN;
    END IF;
    n_accepted := 0;
    -- The rows are joined with `head` (one row, locked above) so that Citus sees a statement on the
    -- tenant's tables alone and runs it on the worker; rows from `unnest` alone would be pulled
    -- through the coordinator. The change log takes the accepted versions one by one (an INSERT
    -- ... SELECT into it is refused by Citus 13.2 on schema-distributed tables).
    FOR accepted_seq, accepted_entity, accepted_id, accepted_hlc, accepted_device, accepted_tombstone IN
        INSERT INTO sealed_rows AS r (entity, id, hlc, device, tombstone, ciphertext, seq)
        SELECT i.entity, i.id, i.hlc, i.device, i.tombstone, i.ciphertext, h.seq + i.ord
        FROM head h, unnest(p_entities, p_ids, p_hlcs, p_devices, p_tombstones, p_ciphertexts)
             WITH ORDINALITY AS i (entity, id, hlc, device, tombstone, ciphertext, ord)
        ON CONFLICT (entity, id) DO UPDATE SET hlc = EXCLUDED.hlc, device = EXCLUDED.device,
            tombstone = EXCLUDED.tombstone, ciphertext = EXCLUDED.ciphertext, seq = EXCLUDED.seq
        WHERE (r.hlc, r.device COLLATE "C") < (EXCLUDED.hlc, EXCLUDED.device COLLATE "C")
        RETURNING r.seq, r.entity, r.id, r.hlc, r.device, r.tombstone
    LOOP
        INSERT INTO change_log (seq, entity, id, hlc, device, tombstone, push_id)
        VALUES (accepted_seq, accepted_entity, accepted_id, accepted_hlc, accepted_device, accepted_tombstone, p_push_id);
        n_accepted := n_accepted + 1;
    END LOOP;
    n_stale := n - n_accepted;
    new_head := old_head + n;
    UPDATE head SET seq = new_head;
    INSERT INTO pushes (push_id, device, accepted, stale, head)
        VALUES (p_push_id, p_device, n_accepted, n_stale, new_head);
END
$$;
