-- Feed management from the web and CLI: a paused feed is not polled
-- (paused_at: when, 0 = active); failing_since is the time of the first
-- failed poll of the current run of failures (0 = healthy); an outlet may
-- carry a category.
ALTER TABLE feeds ADD COLUMN paused_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN category TEXT NOT NULL DEFAULT '';
UPDATE feeds SET failing_since = last_poll WHERE last_error <> '';
