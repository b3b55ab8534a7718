-- A feed the publisher says is gone (410, or 404 for a day) is retired:
-- kept with its articles and shown, never polled again. Unix microseconds
-- of retirement, 0 = active.
ALTER TABLE feeds ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
-- When the current run of failed polls began (0 = healthy): how long a
-- feed has answered 404 decides whether it is gone.
ALTER TABLE feeds ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;
