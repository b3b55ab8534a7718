-- Core schema. Times are integer unix microseconds (UTC), 0 = unknown.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  home_url TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT ''
);

CREATE TABLE feeds (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  next_poll INTEGER NOT NULL DEFAULT 0,
  last_poll INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  failures INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feeds_due ON feeds (next_poll, id);
CREATE INDEX feeds_source ON feeds (source_id);

-- feed_id is not a foreign key: removing a feed keeps its articles (feed_id 0).
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  feed_id INTEGER NOT NULL DEFAULT 0,
  url TEXT NOT NULL UNIQUE,
  guid TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL DEFAULT 0,
  fetched INTEGER NOT NULL DEFAULT 0,
  text TEXT NOT NULL DEFAULT '',
  html TEXT NOT NULL DEFAULT '',
  image TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  site_name TEXT NOT NULL DEFAULT '',
  story_id INTEGER NOT NULL DEFAULT 0,
  copy_of INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX articles_source_guid ON articles (source_id, guid) WHERE guid <> '';
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_story ON articles (story_id, published, id);
CREATE INDEX articles_source ON articles (source_id, published, id);
CREATE INDEX articles_feed ON articles (feed_id);
CREATE INDEX articles_unclustered ON articles (id) WHERE story_id = 0;

-- Story ids are allocated by the clusterer.
CREATE TABLE stories (
  id INTEGER PRIMARY KEY,
  headline TEXT NOT NULL DEFAULT '',
  first_seen INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  articles INTEGER NOT NULL DEFAULT 0,
  outlets INTEGER NOT NULL DEFAULT 0,
  countries INTEGER NOT NULL DEFAULT 0,
  score REAL NOT NULL DEFAULT 0,
  image TEXT NOT NULL DEFAULT '',
  merged_into INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_score ON stories (score, id) WHERE merged_into = 0;
CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into <> 0;

CREATE TABLE story_insight (
  story_id INTEGER PRIMARY KEY,
  version TEXT NOT NULL,
  data BLOB NOT NULL
);

-- Full-text index over title and text, kept in sync by triggers. It stores
-- no copy of the text (external content).
CREATE VIRTUAL TABLE articles_fts USING fts5 (
  title, text,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
