-- Storylines: every story (event) belongs to a developing story. Existing
-- stories each start as their own storyline; the clusterer joins them from
-- then on. The index serves a storyline's events newest first. Assign keeps
-- three copies of storyline facts on each event so the front page lists one
-- event per storyline without a subquery per row: line_newest (1 on the
-- storyline's newest live event), line_events (its live events) and
-- line_score (the best score of its live events, the rank it is listed at).
ALTER TABLE stories ADD COLUMN storyline_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN line_newest INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stories ADD COLUMN line_events INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stories ADD COLUMN line_score REAL NOT NULL DEFAULT 0;
UPDATE stories SET storyline_id = id, line_score = score;
CREATE INDEX stories_storyline ON stories (storyline_id, first_seen, id);
-- The front page walks the storylines' newest events by line_score.
CREATE INDEX stories_line_score ON stories (line_newest, line_score DESC, id DESC) WHERE merged_into = 0;

-- A storyline folded into another leaves its id here, so its address
-- redirects to the storyline that took its events (always one hop).
CREATE TABLE storyline_merges (
  id INTEGER PRIMARY KEY,
  merged_into INTEGER NOT NULL
);
