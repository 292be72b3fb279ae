-- Attachments (issue 14): photos, audio, PDFs and other files kept with events and autobiography
-- entries, inside this encrypted file (why not a side store: ARCHITECTURE.md, core/src/attachments).
-- Content-addressed: a file's bytes are stored once per workspace under their BLAKE2b-256 hash,
-- in chunks of at most 1 MiB (no single huge value in memory; the unit sync will send), however
-- many entries it is attached to. Local for now: not synced (no sync triggers).
CREATE TABLE attachment_blobs (
    hash        TEXT PRIMARY KEY CHECK (length(hash) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    chunks      INTEGER NOT NULL CHECK (chunks >= 0),
    -- A small JPEG made once from a photo and kept; NULL while 'pending' (an import leaves them
    -- to be made later) or when none can be made ('none': HEIC, audio, documents, a bad image).
    thumbnail   BLOB,
    thumb_state TEXT NOT NULL DEFAULT 'pending' CHECK (thumb_state IN ('pending', 'done', 'none'))
) STRICT;

-- Rowid table on purpose: WITHOUT ROWID tables store large values badly.
CREATE TABLE attachment_chunks (
    rid   INTEGER PRIMARY KEY,
    hash  TEXT NOT NULL REFERENCES attachment_blobs (hash) ON DELETE CASCADE,
    seq   INTEGER NOT NULL CHECK (seq >= 0),
    bytes BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX attachment_chunks_order ON attachment_chunks (hash, seq);

CREATE TABLE attachments (
    rid        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    -- Exactly one owner; deleting it deletes its attachments (and, by the trigger below, the
    -- bytes no other attachment shares), in the same transaction.
    event_id   TEXT REFERENCES events (id) ON DELETE CASCADE,
    entry_id   TEXT REFERENCES autobiography_entries (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL REFERENCES attachment_blobs (hash),
    file_name  TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    media_type TEXT NOT NULL CHECK (length(media_type) BETWEEN 3 AND 127),
    -- Order within the entry (a Day One entry's media in text order).
    position   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((event_id IS NULL) != (entry_id IS NULL))
) STRICT;
CREATE INDEX attachments_event ON attachments (event_id, position) WHERE event_id IS NOT NULL;
CREATE INDEX attachments_entry ON attachments (entry_id, position) WHERE entry_id IS NOT NULL;
CREATE INDEX attachments_hash ON attachments (hash);
-- The same file twice on one entry is one attachment.
CREATE UNIQUE INDEX attachments_once_per_event ON attachments (event_id, hash) WHERE event_id IS NOT NULL;
CREATE UNIQUE INDEX attachments_once_per_entry ON attachments (entry_id, hash) WHERE entry_id IS NOT NULL;

-- Bytes no attachment refers to any more go with the last one (also when a deleted entry's
-- attachments go by cascade).
CREATE TRIGGER attachments_release AFTER DELETE ON attachments
WHEN NOT EXISTS (SELECT 1 FROM attachments WHERE hash = OLD.hash)
BEGIN
    DELETE FROM attachment_blobs WHERE hash = OLD.hash;
END;
