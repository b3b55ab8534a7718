-- Accounts, sessions, comments, reports and follows. Timestamps are Unix
-- microseconds in UTC so that ordering and comparisons are plain integers on
-- both backends.
CREATE TABLE IF NOT EXISTS users (
    id           BIGSERIAL PRIMARY KEY,
    username     TEXT    NOT NULL,
    username_key TEXT    NOT NULL UNIQUE, -- lower case: names are unique ignoring case
    email        TEXT    NOT NULL DEFAULT '',
    pass_hash    TEXT    NOT NULL,
    role         TEXT    NOT NULL DEFAULT 'reader',
    suspended    BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS user_sessions (
    id_hash    TEXT    PRIMARY KEY, -- hex SHA-256 of the cookie value; the value itself is never stored
    user_id    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS user_sessions_user ON user_sessions(user_id);

CREATE TABLE IF NOT EXISTS comments (
    id          BIGSERIAL PRIMARY KEY,
    target_kind TEXT    NOT NULL,
    target_id   BIGINT  NOT NULL,
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    parent_id   BIGINT  NOT NULL DEFAULT 0,
    body        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    edited_at   BIGINT  NOT NULL DEFAULT 0,
    deleted     BIGINT  NOT NULL DEFAULT 0,
    hidden      BIGINT  NOT NULL DEFAULT 0,
    hidden_by   BIGINT  NOT NULL DEFAULT 0,
    hidden_at   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_target ON comments(target_kind, target_id, created_at);
CREATE INDEX IF NOT EXISTS comments_user ON comments(user_id, created_at);

CREATE TABLE IF NOT EXISTS comment_reports (
    id          BIGSERIAL PRIMARY KEY,
    comment_id  BIGINT  NOT NULL REFERENCES comments(id),
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    reason      TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    resolved    BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (comment_id, user_id)
);
CREATE INDEX IF NOT EXISTS comment_reports_open ON comment_reports(resolved, comment_id);

CREATE TABLE IF NOT EXISTS user_follows (
    user_id    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL, -- 'topic' or 'source'
    value      TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);
