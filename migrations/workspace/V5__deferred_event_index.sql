-- Bulk writes (a sync pull, an import) index new events for search once, at the end, instead of
-- one by one: FTS5 writes out what it holds at every statement savepoint, so an event indexed by
-- its insert trigger was flushed as a segment of its own by the next statement (its tags).
-- While a bulk write runs, fts_deferred holds the highest rid indexed before it began; events above
-- it are indexed by core/src/search.rs `index_deferred` before the bulk write commits.
CREATE TABLE fts_deferred (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    floor INTEGER NOT NULL
) STRICT;

DROP TRIGGER events_fts_ai;
DROP TRIGGER events_fts_ad;
DROP TRIGGER events_fts_au;
-- (A rid at or below the floor can be handed out again if the top row was deleted meanwhile: such
-- a row is indexed at once, like any row below the floor.)
CREATE TRIGGER events_fts_ai AFTER INSERT ON events
WHEN NEW.rid <= coalesce((SELECT floor FROM fts_deferred), NEW.rid) BEGIN
    INSERT INTO events_fts (rowid, title, description, narrative)
    VALUES (NEW.rid, NEW.title, NEW.description, NEW.narrative);
END;
-- A row inserted during the bulk write is not in the index yet: nothing to take out.
CREATE TRIGGER events_fts_ad AFTER DELETE ON events
WHEN OLD.rid <= coalesce((SELECT floor FROM fts_deferred), OLD.rid) BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, description, narrative)
    VALUES ('delete', OLD.rid, OLD.title, OLD.description, OLD.narrative);
END;
CREATE TRIGGER events_fts_au AFTER UPDATE OF title, description, narrative ON events
WHEN OLD.rid <= coalesce((SELECT floor FROM fts_deferred), OLD.rid) BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, description, narrative)
    VALUES ('delete', OLD.rid, OLD.title, OLD.description, OLD.narrative);
    INSERT INTO events_fts (rowid, title, description, narrative)
    VALUES (NEW.rid, NEW.title, NEW.description, NEW.narrative);
END;
