-- Sync bookkeeping (issue 5). Every change to a synced row is queued in sync_outbox by the triggers
-- below; core/src/sync reads the queue, seals each row and pushes it. While the sync client applies
-- a row pulled from the server it names that row in sync_guard, which silences the triggers for it.

-- This device's link to a sync server. At most one row. The session token is a secret: it lives
-- only here, inside the encrypted file.
CREATE TABLE sync_state (
    one          INTEGER PRIMARY KEY CHECK (one = 1),
    server       TEXT NOT NULL,
    email        TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    token        TEXT,
    -- The server sequence this device has pulled up to.
    cursor       INTEGER NOT NULL DEFAULT 0,
    last_sync_at TEXT,
    -- The key file as last given to the server; a changed passphrase is uploaded on the next sync.
    uploaded_key TEXT
) STRICT;

-- The hybrid logical clock (wall-clock milliseconds << 16 | counter): ticked by every change, so a
-- version is stamped when it is written, not when it is pushed, and moved past every version pulled.
CREATE TABLE sync_clock (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    hlc INTEGER NOT NULL
) STRICT;
INSERT INTO sync_clock (one, hlc) VALUES (1, 0);

-- Rows changed here and not yet accepted by the server, oldest first, with the stamp of their last
-- change. n counts changes, so a row changed again while its push was in flight stays queued.
CREATE TABLE sync_outbox (
    seq    INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    id     TEXT NOT NULL,
    hlc    INTEGER NOT NULL,
    n      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (entity, id)
) STRICT;

-- The version (HLC, device) of each row as this device holds it.
CREATE TABLE sync_versions (
    entity TEXT NOT NULL,
    id     TEXT NOT NULL,
    hlc    INTEGER NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;

-- Versions that lost a conflict on this device, kept so nothing is lost silently.
CREATE TABLE sync_conflicts (
    rid         INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    id          TEXT NOT NULL,
    reason      TEXT NOT NULL,
    lost_hlc    INTEGER,
    lost_device TEXT,
    won_hlc     INTEGER,
    won_device  TEXT,
    -- The losing row as JSON (columns and links), readable by the person.
    lost        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_conflicts_row ON sync_conflicts (entity, id);

-- The row the sync client is applying right now (empty otherwise): its own triggers stay silent, so
-- an applied version is not queued again; rows changed as a consequence (a foreign key's cascade)
-- are queued like any local change, so every device hears of them. ('*', '*') silences every
-- trigger: the client sets it while it writes pulled rows that cannot cascade (inserts and updates).
CREATE TABLE sync_guard (
    entity TEXT NOT NULL,
    id     TEXT NOT NULL,
    PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER sync_events_i AFTER INSERT ON events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'event' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_events_u AFTER UPDATE ON events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'event' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_events_d AFTER DELETE ON events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'event' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_insights_i AFTER INSERT ON insights WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'insight' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_insights_u AFTER UPDATE ON insights WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'insight' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_insights_d AFTER DELETE ON insights WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'insight' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_commitments_i AFTER INSERT ON commitments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'commitment' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('commitment', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_commitments_u AFTER UPDATE ON commitments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'commitment' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('commitment', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_commitments_d AFTER DELETE ON commitments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'commitment' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('commitment', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_boundaries_i AFTER INSERT ON boundaries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'boundary' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('boundary', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
-- Not violation_count/last_violated_at/updated_at alone: those follow from the violations, which sync.
CREATE TRIGGER sync_boundaries_u AFTER UPDATE OF life_area_id, statement, reason, consequence, status ON boundaries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'boundary' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('boundary', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_boundaries_d AFTER DELETE ON boundaries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'boundary' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('boundary', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_boundary_violations_i AFTER INSERT ON boundary_violations WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'violation' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('violation', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_boundary_violations_u AFTER UPDATE ON boundary_violations WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'violation' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('violation', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_boundary_violations_d AFTER DELETE ON boundary_violations WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'violation' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('violation', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_eras_i AFTER INSERT ON eras WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'era' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('era', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_eras_u AFTER UPDATE ON eras WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'era' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('era', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_eras_d AFTER DELETE ON eras WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'era' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('era', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entries_i AFTER INSERT ON autobiography_entries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entries_u AFTER UPDATE ON autobiography_entries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entries_d AFTER DELETE ON autobiography_entries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_event_tags_i AFTER INSERT ON event_tags WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'event' AND id = NEW.event_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', NEW.event_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_event_tags_d AFTER DELETE ON event_tags WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'event' AND id = OLD.event_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', OLD.event_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_insight_events_i AFTER INSERT ON insight_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'insight' AND id = NEW.insight_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', NEW.insight_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_insight_events_d AFTER DELETE ON insight_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'insight' AND id = OLD.insight_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', OLD.insight_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entry_events_i AFTER INSERT ON autobiography_entry_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = NEW.entry_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entry_events_d AFTER DELETE ON autobiography_entry_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = OLD.entry_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', OLD.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entry_areas_i AFTER INSERT ON autobiography_entry_areas WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = NEW.entry_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_autobiography_entry_areas_d AFTER DELETE ON autobiography_entry_areas WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'autobiography' AND id = OLD.entry_id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', OLD.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
-- Life areas are seeded alike on every device; only a person's edits travel, not scores.
CREATE TRIGGER sync_life_areas_u AFTER UPDATE OF name, description, is_active, sort_order ON life_areas
WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'life_area' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('life_area', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_settings_name AFTER UPDATE ON settings WHEN NEW.key = 'name' AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'workspace' AND id = 'name')) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('workspace', 'name', (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

