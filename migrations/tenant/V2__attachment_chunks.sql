-- Attachments' content (issue 14): sealed chunks of at most 1 MiB, each stored once per tenant
-- under an id the devices derive from its plaintext with a key the server never holds. Which
-- attachments (by id) refer to which chunks is kept so a chunk goes when its last attachment goes.
-- Every index is declared inside its CREATE TABLE (the Citus rule in V1).

CREATE TABLE chunks (
    id         TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    ciphertext BYTEA NOT NULL,
    stored_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE chunk_refs (
    owner TEXT NOT NULL,
    chunk TEXT NOT NULL,
    PRIMARY KEY (owner, chunk),
    CONSTRAINT chunk_refs_by_chunk UNIQUE (chunk, owner)
);

-- One row: bytes of sealed chunks held, against the server's per-tenant quota. Locking it
-- serialises claims, stores and releases within the tenant, so a release never deletes a chunk
-- a concurrent claim refers to.
CREATE TABLE chunk_usage (
    one   BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    bytes BIGINT NOT NULL
);
INSERT INTO chunk_usage (one, bytes) VALUES (true, 0);
