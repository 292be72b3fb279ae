-- One tenant's mirror: sealed rows only. Every name here is unqualified and nothing refers to another
-- schema, so a tenant schema can live on its own Citus worker (schema-based sharding).
--
-- Citus rule (checked by sync-server's `tenancy` tests): refinery sends a migration file as one
-- query, and Citus forwards the raw text of CREATE INDEX, ALTER TABLE ... ADD CONSTRAINT and RENAME
-- to the worker, which refuses several statements in one prepared query. So such a statement is a
-- migration file of its own; here every index and constraint is declared inside its CREATE TABLE.
--
-- Revised in place for Citus: tenants created before carry the first form's checksum (a separate
-- CREATE UNIQUE INDEX sealed_rows_seq). Both forms give the same unique index of the same name;
-- `tenancy::upgrade` records the new checksum for them (see docs/sync-server.md).

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
    PRIMARY KEY (entity, id),
    CONSTRAINT sealed_rows_seq UNIQUE (seq)
);

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
