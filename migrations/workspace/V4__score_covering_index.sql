-- Scores read each area's last 30 days of events (type, charge, time). With those columns in the
-- area index the read never visits the table: on a 100,000-event journal, bringing the 30 scores up
-- to date at unlock went from 36-55 ms to a few (the table's pages are scattered and encrypted).
DROP INDEX events_life_area;
CREATE INDEX events_life_area ON events (life_area_id, occurred_at, id, type, emotional_charge);
