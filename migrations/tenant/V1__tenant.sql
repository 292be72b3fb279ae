-- One tenant's mirror: sealed rows only. Every name here is unqualified and nothing refers to another
-- schema, so a tenant schema can live on its own Citus worker (schema-based sharding).

-- The newest version of every row, as ciphertext the server cannot open.
CREATE TABLE sealed_rows (
    entity     TEXT NOT NULL,
    id         TEXT NOT NULL,
    -- Hybrid logical clock (milliseconds << 16 | counter) and writing device: the version order.
    hlc        BIGINT NOT NULL,
    device     TEXT NOT NULL,
    tombstone  BOOLEAN NOT NULL,
    ciphertext BYTEA NOT NULL,
    -- The change-log sequence of the version held here; pull is by this cursor.
    seq        BIGINT NOT NULL,
    PRIMARY KEY (entity, id)
);
CREATE UNIQUE INDEX sealed_rows_seq ON sealed_rows (seq);

-- Every accepted version, in server order: the change log (metadata only; ciphertext is in sealed_rows).
CREATE TABLE change_log (
    seq         BIGINT PRIMARY KEY,
    entity      TEXT NOT NULL,
    id          TEXT NOT NULL,
    hlc         BIGINT NOT NULL,
    device      TEXT NOT NULL,
    tombstone   BOOLEAN NOT NULL,
    push_id     TEXT NOT NULL,
    accepted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Pushes already applied, so a retried push is answered without being applied twice.
CREATE TABLE pushes (
    push_id     TEXT PRIMARY KEY,
    device      TEXT NOT NULL,
    accepted    INTEGER NOT NULL,
    stale       INTEGER NOT NULL,
    head        BIGINT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row: the last sequence number handed out. Locking it serialises pushes within the tenant, so
-- sequence numbers become visible in order and a pull cursor never skips a later-committed change.
CREATE TABLE head (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    seq BIGINT NOT NULL
);
INSERT INTO head (one, seq) VALUES (true, 0);
