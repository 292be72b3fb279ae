-- Attachments travel through sync (issue 14). An attachment row is a synced entity (`attachment`,
-- triggers below) carrying its file's size and chunk ids; the file's bytes go as sealed chunks
-- through the server's chunk store (core/src/sync/files.rs), before the row that refers to them.

-- Whether this device has claimed and sent the attachment's chunks ('done') or must still
-- ('pending'); a row is pushed only once 'done'. Local: never part of the synced row.
ALTER TABLE attachments ADD COLUMN upload_state TEXT NOT NULL DEFAULT 'pending'
    CHECK (upload_state IN ('pending', 'done'));
CREATE INDEX attachments_to_upload ON attachments (rid) WHERE upload_state = 'pending';

-- Whether a file's bytes are here ('here') or were announced by a pulled attachment and are still
-- being fetched ('fetch'; the chunks already fetched are kept, so a dropped connection resumes).
ALTER TABLE attachment_blobs ADD COLUMN content TEXT NOT NULL DEFAULT 'here'
    CHECK (content IN ('here', 'fetch'));
CREATE INDEX attachment_blobs_to_fetch ON attachment_blobs (hash) WHERE content = 'fetch';

-- Each chunk's id on the server: a keyed hash of its plaintext (the key derived from the data
-- key), so equal chunks share one id and are sent once.
CREATE TABLE attachment_chunk_ids (
    hash TEXT NOT NULL REFERENCES attachment_blobs (hash) ON DELETE CASCADE,
    seq  INTEGER NOT NULL CHECK (seq >= 0),
    cid  TEXT NOT NULL CHECK (length(cid) = 64),
    PRIMARY KEY (hash, seq)
) STRICT, WITHOUT ROWID;
-- A chunk another file here has already is copied, not fetched.
CREATE INDEX attachment_chunk_ids_cid ON attachment_chunk_ids (cid);

-- Attachments deleted here whose references the server must drop (its chunks go with the last).
CREATE TABLE attachment_releases (
    id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TRIGGER attachments_released AFTER DELETE ON attachments
WHEN EXISTS (SELECT 1 FROM sync_state)
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'attachment' AND id = OLD.id)
BEGIN
    INSERT OR IGNORE INTO attachment_releases (id) VALUES (OLD.id);
END;

CREATE TRIGGER sync_attachments_i AFTER INSERT ON attachments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'attachment' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('attachment', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

-- Not upload_state: it is this device's own bookkeeping.
CREATE TRIGGER sync_attachments_u AFTER UPDATE OF event_id, entry_id, hash, file_name, media_type, position, created_at
    ON attachments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'attachment' AND id = NEW.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('attachment', NEW.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

CREATE TRIGGER sync_attachments_d AFTER DELETE ON attachments WHEN NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')
    AND NOT EXISTS (SELECT 1 FROM sync_guard WHERE entity = 'attachment' AND id = OLD.id) BEGIN
    UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16);
    INSERT INTO sync_outbox (entity, id, hlc) VALUES ('attachment', OLD.id, (SELECT hlc FROM sync_clock))
        ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc;
END;

-- A journal that syncs already sends the attachments it has on its next sync.
UPDATE sync_clock SET hlc = max(hlc + 1, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) << 16)
    WHERE EXISTS (SELECT 1 FROM sync_state);
INSERT INTO sync_outbox (entity, id, hlc)
    SELECT 'attachment', id, (SELECT hlc FROM sync_clock) FROM attachments WHERE EXISTS (SELECT 1 FROM sync_state)
    ORDER BY rid
    ON CONFLICT (entity, id) DO NOTHING;
