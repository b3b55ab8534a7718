-- Feed management from the web and CLI: a paused feed is not polled
-- (paused_at: when, 0 = active); an outlet may carry a category.
ALTER TABLE feeds ADD COLUMN paused_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN category TEXT NOT NULL DEFAULT '';
