-- Storylines: every story (event) belongs to a developing story. Existing
-- stories each start as their own storyline; the clusterer joins them from
-- then on. The index serves a storyline's events newest first. Assign keeps
-- two copies of storyline facts on each event so the front page lists one
-- event per storyline without a subquery per row: line_newest (1 on the
-- storyline's newest live event) and line_events (its live events).
ALTER TABLE stories ADD COLUMN storyline_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN line_newest INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stories ADD COLUMN line_events INTEGER NOT NULL DEFAULT 1;
UPDATE stories SET storyline_id = id;
CREATE INDEX stories_storyline ON stories (storyline_id, first_seen, id);

-- A storyline folded into another leaves its id here, so its address
-- redirects to the storyline that took its events (always one hop).
CREATE TABLE storyline_merges (
  id INTEGER PRIMARY KEY,
  merged_into INTEGER NOT NULL
);
