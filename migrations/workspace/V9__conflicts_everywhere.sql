-- Conflicts seen everywhere (issue 12): a version that lost a sync conflict is a synced row of its
-- own (entity 'conflict'), so every device of the account lists it and any one can resolve it.
-- Replaces V2's device-local sync_conflicts.

CREATE TABLE conflicts (
    -- Derived from (entity, row_id, losing version) by core/src/sync/conflicts.rs: two devices that
    -- record the same loss write one record, not two.
    id          TEXT NOT NULL PRIMARY KEY,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    lost_hlc    INTEGER,
    lost_device TEXT,
    won_hlc     INTEGER,
    won_device  TEXT,
    -- The losing row as JSON (columns and links), readable by the person.
    lost        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT,
    state       TEXT NOT NULL DEFAULT 'OPEN'
                CHECK (state IN ('OPEN', 'KEPT_CURRENT', 'RESTORED', 'KEPT_BOTH')),
    resolved_at TEXT,
    resolved_by TEXT,
    -- After KEPT_BOTH: the new entry made from the losing version.
    copy_id     TEXT,
    CHECK ((state = 'OPEN') = (resolved_at IS NULL))
) STRICT;
CREATE INDEX conflicts_by_state ON conflicts (state, recorded_at);

CREATE TRIGGER sync_conflicts_i AFTER INSERT ON conflicts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'conflict' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('conflict', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_conflicts_u AFTER UPDATE ON conflicts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'conflict' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('conflict', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_conflicts_d AFTER DELETE ON conflicts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'conflict' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('conflict', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

-- Losses kept by an older version stay, open, and now travel (queued by the trigger above). They
-- were recorded on one device only, so a random id cannot meet a second copy.
INSERT INTO conflicts (id, entity, row_id, reason, lost_hlc, lost_device, won_hlc, won_device, lost, recorded_at)
    SELECT 'cfl_' || lower(hex(randomblob(13))), entity, id, reason, lost_hlc, lost_device, won_hlc, won_device,
           lost, recorded_at
    FROM sync_conflicts ORDER BY rid;
DROP TABLE sync_conflicts;
