-- Indexes that cost every insert a page and serve no query. Each page an insert changes is one more
-- to encrypt and authenticate into the WAL at commit (about twenty per insert before this, at 100k
-- events: over half of an insert's instructions, callgrind), and one more b-tree for every import
-- and sync pull to keep.
-- Nothing lists or filters events by when they were recorded; a filter by type walks the date
-- index (listings are newest first and limited), and the pattern check's count by type reads the
-- area index, which holds the type since V4.
DROP INDEX events_type;
DROP INDEX events_created_at;
-- Every insert rescores its area, and the rewrite of `status` moved the area's entry in this index
-- even when the status stayed; the 30 areas are one page, read whole by any query.
DROP INDEX life_areas_status;
