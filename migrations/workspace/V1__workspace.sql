-- The tenant schema of one workspace (one SQLCipher file). Tables follow the seed's tenant models;
-- what the seed keeps as arrays (tags, relatedEvents, eventIds, lifeAreaIds) are link tables here.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ', which sorts as time does.
-- Tables searched with FTS5 have an explicit INTEGER PRIMARY KEY (rid) so their rowids survive VACUUM.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE life_areas (
    id            TEXT PRIMARY KEY NOT NULL,
    slug          TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 64),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description   TEXT,
    cluster       TEXT NOT NULL CHECK (cluster IN ('SYSTEMIC_STRUCTURAL','RELATIONAL_HUMAN','INNER_PERSONAL',
                      'CREATIVE_EXPRESSIVE','EXPLORATORY_EXPANSIVE','INTEGRATIVE_LEGACY')),
    sort_order    INTEGER NOT NULL DEFAULT 0,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    current_score REAL NOT NULL DEFAULT 50.0 CHECK (current_score BETWEEN 0 AND 100),
    status        TEXT NOT NULL DEFAULT 'BALANCED'
                      CHECK (status IN ('CRISIS','STRUGGLING','BALANCED','THRIVING','FLOURISHING')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX life_areas_cluster ON life_areas (cluster);
CREATE INDEX life_areas_status ON life_areas (status);
CREATE INDEX life_areas_sort_order ON life_areas (sort_order);

CREATE TABLE events (
    rid              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    life_area_id     TEXT NOT NULL REFERENCES life_areas (id) ON DELETE CASCADE,
    type             TEXT NOT NULL CHECK (type IN ('BREAKTHROUGH','PROGRESS','SETBACK','UPSET','MILESTONE',
                         'PATTERN','LEARNING')),
    category         TEXT NOT NULL CHECK (category IN ('PERSONAL','RELATIONAL','PROFESSIONAL','HEALTH',
                         'SPIRITUAL','FINANCIAL','CREATIVE','OTHER')),
    tone             TEXT NOT NULL CHECK (tone IN ('POSITIVE','NEGATIVE','NEUTRAL','TRANSFORMATIONAL','COMPLEX')),
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0 AND length(title) <= 200),
    description      TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    narrative        TEXT CHECK (narrative IS NULL OR length(narrative) <= 200000),
    occurred_at      TEXT NOT NULL,
    emotional_charge INTEGER NOT NULL CHECK (emotional_charge BETWEEN -5 AND 5),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX events_life_area ON events (life_area_id, occurred_at, id);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_occurred_at ON events (occurred_at, id);
CREATE INDEX events_created_at ON events (created_at);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 48)
) STRICT;

CREATE TABLE event_tags (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags (tag_id, event_id);

CREATE TABLE insights (
    rid           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    event_id      TEXT REFERENCES events (id) ON DELETE SET NULL,
    type          TEXT NOT NULL CHECK (type IN ('TRUTH_REVEALED','LIMITING_BELIEF','STRENGTH_DISCOVERED',
                      'VALUE_CLARIFIED','PATTERN_RECOGNIZED','WISDOM_INTEGRATED')),
    title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description   TEXT NOT NULL,
    is_recurring  INTEGER NOT NULL DEFAULT 0 CHECK (is_recurring IN (0, 1)),
    frequency     INTEGER NOT NULL DEFAULT 1 CHECK (frequency >= 1),
    applied       INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
    applied_at    TEXT,
    dismissed_at  TEXT,
    -- The pattern engine's stable key for the theme it found; NULL for insights a person wrote.
    pattern_key   TEXT UNIQUE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX insights_type ON insights (type);
CREATE INDEX insights_is_recurring ON insights (is_recurring);
CREATE INDEX insights_applied ON insights (applied);

CREATE TABLE insight_events (
    insight_id TEXT NOT NULL REFERENCES insights (id) ON DELETE CASCADE,
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (insight_id, event_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX insight_events_event ON insight_events (event_id);

CREATE TABLE commitments (
    id             TEXT PRIMARY KEY NOT NULL,
    life_area_id   TEXT REFERENCES life_areas (id) ON DELETE SET NULL,
    event_id       TEXT REFERENCES events (id) ON DELETE SET NULL,
    insight_id     TEXT REFERENCES insights (id) ON DELETE SET NULL,
    statement      TEXT NOT NULL CHECK (length(trim(statement)) > 0),
    intention      TEXT NOT NULL CHECK (length(trim(intention)) > 0),
    measurable     TEXT,
    status         TEXT NOT NULL DEFAULT 'ACTIVE'
                       CHECK (status IN ('ACTIVE','COMPLETED','PAUSED','ABANDONED','INTEGRATED')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    completed_at   TEXT,
    reviewed_at    TEXT,
    next_review_at TEXT
) STRICT;
CREATE INDEX commitments_status ON commitments (status);
CREATE INDEX commitments_life_area ON commitments (life_area_id);
CREATE INDEX commitments_created_at ON commitments (created_at);
CREATE INDEX commitments_next_review ON commitments (next_review_at) WHERE next_review_at IS NOT NULL;

CREATE TABLE boundaries (
    id               TEXT PRIMARY KEY NOT NULL,
    life_area_id     TEXT NOT NULL REFERENCES life_areas (id) ON DELETE CASCADE,
    statement        TEXT NOT NULL CHECK (length(trim(statement)) > 0),
    reason           TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    consequence      TEXT,
    status           TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','SUSPENDED','DISSOLVED','INTEGRATED')),
    -- Both maintained by the triggers on boundary_violations below.
    last_violated_at TEXT,
    violation_count  INTEGER NOT NULL DEFAULT 0 CHECK (violation_count >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX boundaries_life_area ON boundaries (life_area_id);
CREATE INDEX boundaries_status ON boundaries (status);

CREATE TABLE boundary_violations (
    id          TEXT PRIMARY KEY NOT NULL,
    boundary_id TEXT NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX boundary_violations_boundary ON boundary_violations (boundary_id, occurred_at);

CREATE TRIGGER boundary_violations_ai AFTER INSERT ON boundary_violations BEGIN
    UPDATE boundaries SET
        violation_count = (SELECT count(*) FROM boundary_violations WHERE boundary_id = NEW.boundary_id),
        last_violated_at = (SELECT max(occurred_at) FROM boundary_violations WHERE boundary_id = NEW.boundary_id),
        updated_at = max(updated_at, NEW.created_at)
    WHERE id = NEW.boundary_id;
END;
CREATE TRIGGER boundary_violations_ad AFTER DELETE ON boundary_violations BEGIN
    UPDATE boundaries SET
        violation_count = (SELECT count(*) FROM boundary_violations WHERE boundary_id = OLD.boundary_id),
        last_violated_at = (SELECT max(occurred_at) FROM boundary_violations WHERE boundary_id = OLD.boundary_id)
    WHERE id = OLD.boundary_id;
END;

CREATE TABLE metric_snapshots (
    id                 TEXT PRIMARY KEY NOT NULL,
    life_area_id       TEXT NOT NULL REFERENCES life_areas (id) ON DELETE CASCADE,
    date               TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period             TEXT NOT NULL DEFAULT 'DAILY' CHECK (period IN ('DAILY','WEEKLY','MONTHLY')),
    score              REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
    status             TEXT NOT NULL CHECK (status IN ('CRISIS','STRUGGLING','BALANCED','THRIVING','FLOURISHING')),
    event_count        INTEGER NOT NULL DEFAULT 0,
    upset_count        INTEGER NOT NULL DEFAULT 0,
    breakthrough_count INTEGER NOT NULL DEFAULT 0,
    notes              TEXT,
    created_at         TEXT NOT NULL,
    UNIQUE (life_area_id, date, period)
) STRICT;
CREATE INDEX metric_snapshots_date ON metric_snapshots (date, period);

CREATE TABLE eras (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    start_year  INTEGER NOT NULL CHECK (start_year BETWEEN 1900 AND 2200),
    end_year    INTEGER CHECK (end_year IS NULL OR end_year >= start_year),
    description TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE autobiography_entries (
    rid        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    -- An era with entries cannot be deleted: a life story is not dropped as a side effect.
    era_id     TEXT NOT NULL REFERENCES eras (id) ON DELETE RESTRICT,
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    month      INTEGER CHECK (month IS NULL OR month BETWEEN 1 AND 12),
    title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
    narrative  TEXT NOT NULL,
    is_public  INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX autobiography_entries_era ON autobiography_entries (era_id);
CREATE INDEX autobiography_entries_year ON autobiography_entries (year, month);

CREATE TABLE autobiography_entry_events (
    entry_id TEXT NOT NULL REFERENCES autobiography_entries (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, event_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX autobiography_entry_events_event ON autobiography_entry_events (event_id);

CREATE TABLE autobiography_entry_areas (
    entry_id     TEXT NOT NULL REFERENCES autobiography_entries (id) ON DELETE CASCADE,
    life_area_id TEXT NOT NULL REFERENCES life_areas (id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, life_area_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX autobiography_entry_areas_area ON autobiography_entry_areas (life_area_id);

-- updatedAt is written by the core from its one clock on every change (see core/src/time.rs), never
-- stamped here from the wall clock, so imported and synced rows keep their original timestamps.

-- Full-text search: external-content FTS5 indexes kept in step by triggers.
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, description, narrative, content = 'events', content_rowid = 'rid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Title matches count most, then the description, then the narrative.
INSERT INTO events_fts (events_fts, rank) VALUES ('rank', 'bm25(4.0, 2.0, 1.0)');
CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, title, description, narrative)
    VALUES (NEW.rid, NEW.title, NEW.description, NEW.narrative);
END;
CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, description, narrative)
    VALUES ('delete', OLD.rid, OLD.title, OLD.description, OLD.narrative);
END;
CREATE TRIGGER events_fts_au AFTER UPDATE OF title, description, narrative ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, description, narrative)
    VALUES ('delete', OLD.rid, OLD.title, OLD.description, OLD.narrative);
    INSERT INTO events_fts (rowid, title, description, narrative)
    VALUES (NEW.rid, NEW.title, NEW.description, NEW.narrative);
END;

CREATE VIRTUAL TABLE insights_fts USING fts5(
    title, description, content = 'insights', content_rowid = 'rid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO insights_fts (insights_fts, rank) VALUES ('rank', 'bm25(4.0, 2.0)');
CREATE TRIGGER insights_fts_ai AFTER INSERT ON insights BEGIN
    INSERT INTO insights_fts (rowid, title, description) VALUES (NEW.rid, NEW.title, NEW.description);
END;
CREATE TRIGGER insights_fts_ad AFTER DELETE ON insights BEGIN
    INSERT INTO insights_fts (insights_fts, rowid, title, description)
    VALUES ('delete', OLD.rid, OLD.title, OLD.description);
END;
CREATE TRIGGER insights_fts_au AFTER UPDATE OF title, description ON insights BEGIN
    INSERT INTO insights_fts (insights_fts, rowid, title, description)
    VALUES ('delete', OLD.rid, OLD.title, OLD.description);
    INSERT INTO insights_fts (rowid, title, description) VALUES (NEW.rid, NEW.title, NEW.description);
END;

CREATE VIRTUAL TABLE autobiography_fts USING fts5(
    title, narrative, content = 'autobiography_entries', content_rowid = 'rid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO autobiography_fts (autobiography_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
CREATE TRIGGER autobiography_fts_ai AFTER INSERT ON autobiography_entries BEGIN
    INSERT INTO autobiography_fts (rowid, title, narrative) VALUES (NEW.rid, NEW.title, NEW.narrative);
END;
CREATE TRIGGER autobiography_fts_ad AFTER DELETE ON autobiography_entries BEGIN
    INSERT INTO autobiography_fts (autobiography_fts, rowid, title, narrative)
    VALUES ('delete', OLD.rid, OLD.title, OLD.narrative);
END;
CREATE TRIGGER autobiography_fts_au AFTER UPDATE OF title, narrative ON autobiography_entries BEGIN
    INSERT INTO autobiography_fts (autobiography_fts, rowid, title, narrative)
    VALUES ('delete', OLD.rid, OLD.title, OLD.narrative);
    INSERT INTO autobiography_fts (rowid, title, narrative) VALUES (NEW.rid, NEW.title, NEW.narrative);
END;
