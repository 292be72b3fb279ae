-- FTS5 merges index segments a little on every write by default, so whichever insert triggers a
-- bigger merge pays for it (the tail of recording an event). Merging is done instead by the daily
-- jobs and after imports (core/src/search.rs, `merge_search_index`).
INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 0);
