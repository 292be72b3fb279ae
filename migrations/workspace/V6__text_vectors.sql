-- Sentence vectors of what people wrote, for recurring situations and search by meaning
-- (core/src/meaning/). Derived data: no sync trigger queues them, each device computes its own in
-- the background. A vector is dropped when its text changes or its entry is deleted, and computed
-- again by the back-fill (an update that rewrites the same text keeps it). 384 signed bytes: the model's unit vector scaled so that its largest
-- component is 127 (cosines are taken after scaling back to unit length).
CREATE TABLE text_vectors (
    kind   TEXT NOT NULL CHECK (kind IN ('event', 'insight', 'autobiography')),
    rid    INTEGER NOT NULL,
    vector BLOB NOT NULL CHECK (length(vector) = 384),
    PRIMARY KEY (kind, rid)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER events_vector_stale AFTER UPDATE OF title, description ON events
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description BEGIN
    DELETE FROM text_vectors WHERE kind = 'event' AND rid = OLD.rid;
END;
CREATE TRIGGER events_vector_gone AFTER DELETE ON events BEGIN
    DELETE FROM text_vectors WHERE kind = 'event' AND rid = OLD.rid;
END;
CREATE TRIGGER insights_vector_stale AFTER UPDATE OF title, description ON insights
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description BEGIN
    DELETE FROM text_vectors WHERE kind = 'insight' AND rid = OLD.rid;
END;
CREATE TRIGGER insights_vector_gone AFTER DELETE ON insights BEGIN
    DELETE FROM text_vectors WHERE kind = 'insight' AND rid = OLD.rid;
END;
CREATE TRIGGER autobiography_vector_stale AFTER UPDATE OF title, narrative ON autobiography_entries
WHEN OLD.title IS NOT NEW.title OR OLD.narrative IS NOT NEW.narrative BEGIN
    DELETE FROM text_vectors WHERE kind = 'autobiography' AND rid = OLD.rid;
END;
CREATE TRIGGER autobiography_vector_gone AFTER DELETE ON autobiography_entries BEGIN
    DELETE FROM text_vectors WHERE kind = 'autobiography' AND rid = OLD.rid;
END;

-- How many vectors each kind has, and a counter of every change (an index kept in memory reloads
-- when it moves). Kept by triggers: counting the table itself reads every vector (38 MB at 100k).
CREATE TABLE text_vectors_state (
    kind    TEXT PRIMARY KEY CHECK (kind IN ('event', 'insight', 'autobiography', '*')),
    n       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO text_vectors_state (kind, n) VALUES ('event', 0), ('insight', 0), ('autobiography', 0), ('*', 0);
CREATE TRIGGER text_vectors_added AFTER INSERT ON text_vectors BEGIN
    UPDATE text_vectors_state SET n = n + 1 WHERE kind IN (NEW.kind, '*');
END;
CREATE TRIGGER text_vectors_removed AFTER DELETE ON text_vectors BEGIN
    UPDATE text_vectors_state SET n = n + (CASE kind WHEN '*' THEN 1 ELSE -1 END) WHERE kind IN (OLD.kind, '*');
END;
CREATE TRIGGER text_vectors_changed AFTER UPDATE ON text_vectors BEGIN
    UPDATE text_vectors_state SET n = n + 1 WHERE kind = '*';
END;
