-- Where imported entries came from (issue 14): one row per entry brought in from another app's
-- export (Day One, Daylio, Markdown notes), keyed by that app's own id for it, so importing the
-- same export again adds nothing (core/src/import/plan.rs).
-- No foreign key to events, on purpose: the row outlives an event the person deleted, so a second
-- import of the same export does not bring it back.
-- Local bookkeeping, not synced: an imported event's id is derived from the same key
-- (ids::derived_id), so another device that imports the same export finds the synced events by id.
CREATE TABLE import_sources (
    format        TEXT NOT NULL CHECK (format IN ('dayone', 'daylio', 'markdown')),
    source_id     TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    -- A fingerprint of the source's text when imported, to tell "changed in the source since".
    content_hash  TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    -- What the source said beyond the text, as JSON (Day One: location, weather); NULL if nothing.
    metadata      TEXT,
    -- Photos, audio and files the entry refers to, in text order, not brought in yet, as JSON
    -- ([{kind, id, md5, file}]); NULL if none. Attachments, once they exist, fill these in.
    pending_media TEXT,
    PRIMARY KEY (format, source_id)
) STRICT;
CREATE INDEX import_sources_event ON import_sources (event_id);
