-- The sync triggers' guard (V2) asked `entity = '*' OR (entity = ? AND id = ?)` of sync_guard in one
-- query, which SQLite answers with an OR plan that builds a temporary b-tree every time a trigger
-- fires: about a fifth of a bulk import's time was spent opening and closing those (callgrind, 10k
-- events). Two probes of the primary key say the same without one. Each trigger is recreated with
-- its body unchanged.

DROP TRIGGER sync_events_i;
CREATE TRIGGER sync_events_i AFTER INSERT ON events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'event' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_events_u;
CREATE TRIGGER sync_events_u AFTER UPDATE ON events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'event' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_events_d;
CREATE TRIGGER sync_events_d AFTER DELETE ON events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'event' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_insights_i;
CREATE TRIGGER sync_insights_i AFTER INSERT ON insights WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'insight' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_insights_u;
CREATE TRIGGER sync_insights_u AFTER UPDATE ON insights WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'insight' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_insights_d;
CREATE TRIGGER sync_insights_d AFTER DELETE ON insights WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'insight' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_commitments_i;
CREATE TRIGGER sync_commitments_i AFTER INSERT ON commitments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'commitment' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('commitment', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_commitments_u;
CREATE TRIGGER sync_commitments_u AFTER UPDATE ON commitments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'commitment' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('commitment', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_commitments_d;
CREATE TRIGGER sync_commitments_d AFTER DELETE ON commitments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'commitment' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('commitment', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_boundaries_i;
CREATE TRIGGER sync_boundaries_i AFTER INSERT ON boundaries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'boundary' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('boundary', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_boundaries_u;
CREATE TRIGGER sync_boundaries_u AFTER UPDATE OF life_area_id, statement, reason, consequence, status ON boundaries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'boundary' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('boundary', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_boundaries_d;
CREATE TRIGGER sync_boundaries_d AFTER DELETE ON boundaries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'boundary' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('boundary', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_boundary_violations_i;
CREATE TRIGGER sync_boundary_violations_i AFTER INSERT ON boundary_violations WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'violation' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('violation', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_boundary_violations_u;
CREATE TRIGGER sync_boundary_violations_u AFTER UPDATE ON boundary_violations WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'violation' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('violation', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_boundary_violations_d;
CREATE TRIGGER sync_boundary_violations_d AFTER DELETE ON boundary_violations WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'violation' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('violation', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_eras_i;
CREATE TRIGGER sync_eras_i AFTER INSERT ON eras WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'era' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('era', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_eras_u;
CREATE TRIGGER sync_eras_u AFTER UPDATE ON eras WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'era' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('era', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_eras_d;
CREATE TRIGGER sync_eras_d AFTER DELETE ON eras WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'era' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('era', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entries_i;
CREATE TRIGGER sync_autobiography_entries_i AFTER INSERT ON autobiography_entries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entries_u;
CREATE TRIGGER sync_autobiography_entries_u AFTER UPDATE ON autobiography_entries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entries_d;
CREATE TRIGGER sync_autobiography_entries_d AFTER DELETE ON autobiography_entries WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_event_tags_i;
CREATE TRIGGER sync_event_tags_i AFTER INSERT ON event_tags WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'event' AND id = NEW.event_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', NEW.event_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_event_tags_d;
CREATE TRIGGER sync_event_tags_d AFTER DELETE ON event_tags WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'event' AND id = OLD.event_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('event', OLD.event_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_insight_events_i;
CREATE TRIGGER sync_insight_events_i AFTER INSERT ON insight_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'insight' AND id = NEW.insight_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', NEW.insight_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_insight_events_d;
CREATE TRIGGER sync_insight_events_d AFTER DELETE ON insight_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'insight' AND id = OLD.insight_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', OLD.insight_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entry_events_i;
CREATE TRIGGER sync_autobiography_entry_events_i AFTER INSERT ON autobiography_entry_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = NEW.entry_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entry_events_d;
CREATE TRIGGER sync_autobiography_entry_events_d AFTER DELETE ON autobiography_entry_events WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = OLD.entry_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', OLD.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entry_areas_i;
CREATE TRIGGER sync_autobiography_entry_areas_i AFTER INSERT ON autobiography_entry_areas WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = NEW.entry_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', NEW.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_autobiography_entry_areas_d;
CREATE TRIGGER sync_autobiography_entry_areas_d AFTER DELETE ON autobiography_entry_areas WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'autobiography' AND id = OLD.entry_id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('autobiography', OLD.entry_id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_life_areas_u;
CREATE TRIGGER sync_life_areas_u AFTER UPDATE OF name, description, is_active, sort_order ON life_areas
WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'life_area' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('life_area', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_settings_name;
CREATE TRIGGER sync_settings_name AFTER UPDATE ON settings WHEN NEW.key = 'name' AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'workspace' AND id = 'name') BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('workspace', 'name', (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_templates_i;
CREATE TRIGGER sync_templates_i AFTER INSERT ON templates WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'template' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('template', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_templates_u;
CREATE TRIGGER sync_templates_u AFTER UPDATE ON templates WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'template' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('template', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_templates_d;
CREATE TRIGGER sync_templates_d AFTER DELETE ON templates WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'template' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('template', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_conflicts_i;
CREATE TRIGGER sync_conflicts_i AFTER INSERT ON conflicts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'conflict' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('conflict', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_conflicts_u;
CREATE TRIGGER sync_conflicts_u AFTER UPDATE ON conflicts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'conflict' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('conflict', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

DROP TRIGGER sync_conflicts_d;
CREATE TRIGGER sync_conflicts_d AFTER DELETE ON conflicts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'conflict' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('conflict', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
