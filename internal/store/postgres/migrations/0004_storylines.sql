-- Storylines: every story (event) belongs to a developing story. Existing
-- stories each start as their own storyline; the clusterer joins them from
-- then on. The index serves a storyline's events newest first and the
-- front page's one-event-per-storyline check.
ALTER TABLE stories ADD COLUMN storyline_id BIGINT NOT NULL DEFAULT 0;
UPDATE stories SET storyline_id = id;
CREATE INDEX stories_storyline ON stories (storyline_id, first_seen, id);
