-- A leader's fencing token: every acquisition of a leadership moves its
-- epoch on, and the leader's writes carry the epoch they were granted, so a
-- deposed leader's writes are refused (see sqlstore.NextEpoch).
CREATE TABLE leader_epochs (
  name TEXT PRIMARY KEY,
  epoch BIGINT NOT NULL
);
