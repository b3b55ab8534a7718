-- Lead images fetched from publishers and served by Dateline itself
-- (internal/media): re-encoded copies only, keyed by a hash of the source URL.
CREATE TABLE IF NOT EXISTS media (
  id TEXT PRIMARY KEY,               -- hex of the first 16 bytes of SHA-256(url)
  url TEXT NOT NULL,
  ok INTEGER NOT NULL DEFAULT 0,     -- 1: stored; 0: refused or failed (error says why)
  error TEXT NOT NULL DEFAULT '',
  width INTEGER NOT NULL DEFAULT 0,  -- of the original
  height INTEGER NOT NULL DEFAULT 0,
  card BLOB,                         -- JPEG for cards
  large BLOB,                        -- JPEG for story and article pages
  fetched INTEGER NOT NULL DEFAULT 0
);
