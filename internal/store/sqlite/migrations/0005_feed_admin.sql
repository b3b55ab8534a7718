-- Feed management from the web and CLI: a paused feed is not polled
-- (paused_at: when, 0 = active); an outlet may carry a category.
ALTER TABLE feeds ADD COLUMN paused_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN category TEXT NOT NULL DEFAULT '';

-- What operators did to subscriptions, from the web or the command line.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
