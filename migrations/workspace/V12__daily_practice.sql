-- The daily practice the person shapes (issue 15): their own prompts, the library's prompts they
-- edited or hid, and the practice's settings (on this day, reminders). Both tables sync like
-- entries (entities 'prompt' and 'preference'), last writer wins per row.

-- One row per prompt the person touched. A library prompt keeps its id ('work-3') and a row here
-- only when edited (text) or hidden; the person's own prompts have ids 'prm_<ulid>' and always a text.
CREATE TABLE prompts (
    id           TEXT PRIMARY KEY NOT NULL,
    -- NULL: the library's own words.
    text         TEXT CHECK (text IS NULL OR (length(trim(text)) > 0 AND length(text) <= 500)),
    -- An own prompt's area (NULL: a general one); a library prompt's scope is the library's.
    life_area_id TEXT REFERENCES life_areas (id) ON DELETE SET NULL,
    -- An own general prompt for the end of a week rather than any day.
    weekly       INTEGER NOT NULL DEFAULT 0 CHECK (weekly IN (0, 1)),
    hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (id NOT LIKE 'prm\_%' ESCAPE '\' OR text IS NOT NULL)
) STRICT;

-- The practice's settings, one row a key ('on_this_day', 'reminder_time', 'review_reminders'), read
-- and written only by core/src/practice_settings.rs.
CREATE TABLE preferences (
    id         TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL CHECK (length(value) <= 200),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER sync_prompts_i AFTER INSERT ON prompts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'prompt' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('prompt', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_prompts_u AFTER UPDATE ON prompts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'prompt' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('prompt', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_prompts_d AFTER DELETE ON prompts WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'prompt' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('prompt', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_preferences_i AFTER INSERT ON preferences WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'preference' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('preference', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_preferences_u AFTER UPDATE ON preferences WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'preference' AND id = NEW.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('preference', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
CREATE TRIGGER sync_preferences_d AFTER DELETE ON preferences WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*' OR (entity = 'preference' AND id = OLD.id)) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('preference', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;
