-- Templates for quick capture (issue 15): synced like entries. The id is derived from the name
-- (`tpl_<name>`), so the same name made on two devices is one template, last writer wins.
CREATE TABLE templates (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0 AND length(title) <= 200),
    life_area_id TEXT REFERENCES life_areas (id) ON DELETE SET NULL,
    type         TEXT CHECK (type IS NULL OR type IN ('BREAKTHROUGH','PROGRESS','SETBACK','UPSET','MILESTONE',
                     'PATTERN','LEARNING')),
    tone         TEXT CHECK (tone IS NULL OR tone IN ('POSITIVE','NEGATIVE','NEUTRAL','TRANSFORMATIONAL','COMPLEX')),
    tags         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    body         TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TRIGGER sync_templates_i AFTER INSERT ON templates WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'template' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('template', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_templates_u AFTER UPDATE ON templates WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'template' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('template', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_templates_d AFTER DELETE ON templates WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'template' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('template', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
