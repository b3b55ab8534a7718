package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// UpsertSource creates the source named s.Name or updates it. Empty fields of
// s keep the stored value, so callers that know only the name lose nothing.
func (db *Store) UpsertSource(ctx context.Context, s model.Source) (model.Source, error) {
	if s.Name == "" {
		return model.Source{}, errors.New("upsert source: empty name")
	}
	const q = `INSERT INTO sources (name, home_url, country, language, category) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
  home_url = CASE WHEN excluded.home_url <> '' THEN excluded.home_url ELSE sources.home_url END,
  country = CASE WHEN excluded.country <> '' THEN excluded.country ELSE sources.country END,
  language = CASE WHEN excluded.language <> '' THEN excluded.language ELSE sources.language END,
  category = CASE WHEN excluded.category <> '' THEN excluded.category ELSE sources.category END
RETURNING id, name, home_url, country, language, category`
	var out model.Source
	err := db.queryRow(ctx, db.W, q, s.Name, s.HomeURL, s.Country, s.Language, s.Category).
		Scan(&out.ID, &out.Name, &out.HomeURL, &out.Country, &out.Language, &out.Category)
	if err != nil {
		return model.Source{}, fmt.Errorf("upsert source %q: %w", s.Name, err)
	}
	return out, nil
}

// SetSourceName renames source id; names stay unique.
func (db *Store) SetSourceName(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("rename source %d: empty name", id)
	}
	var other int64
	err := db.queryRow(ctx, db.W, `SELECT id FROM sources WHERE name = ? AND id <> ?`, name, id).Scan(&other)
	if err == nil {
		return fmt.Errorf("rename source %d to %q: %w (source %d)", id, name, store.ErrNameTaken, other)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("rename source %d: %w", id, err)
	}
	res, err := db.exec(ctx, db.W, `UPDATE sources SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		// A concurrent rename may have taken the name between the check and
		// the update; the unique index refuses it.
		return fmt.Errorf("rename source %d to %q: %w", id, name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("rename source %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// Sources lists all sources by name.
func (db *Store) Sources(ctx context.Context) ([]model.Source, error) {
	rows, err := db.query(ctx, db.R, `SELECT id, name, home_url, country, language, category FROM sources ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var out []model.Source
	for rows.Next() {
		var s model.Source
		if err := rows.Scan(&s.ID, &s.Name, &s.HomeURL, &s.Country, &s.Language, &s.Category); err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

const feedCols = `f.id, f.source_id, f.url, f.title, f.etag, f.last_modified, f.next_poll, f.last_poll,
 f.last_status, f.last_error, f.failures, f.retired, f.failing_since, f.paused_at,
 s.id, s.name, s.home_url, s.country, s.language, s.category`

func scanFeed(sc interface{ Scan(...any) error }, extra ...any) (model.Feed, error) {
	var f model.Feed
	var next, last, retired, since, paused int64
	dest := []any{&f.ID, &f.SourceID, &f.URL, &f.Title, &f.ETag, &f.LastModified, &next, &last,
		&f.LastStatus, &f.LastError, &f.Failures, &retired, &since, &paused,
		&f.Source.ID, &f.Source.Name, &f.Source.HomeURL, &f.Source.Country, &f.Source.Language, &f.Source.Category}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return model.Feed{}, err
	}
	f.NextPoll, f.LastPoll, f.Retired, f.FailingSince = Time(next), Time(last), Time(retired), Time(since)
	f.PausedAt = Time(paused)
	return f, nil
}

// AddFeed subscribes to f.URL. When f.SourceID is 0 the source f.Source is
// upserted first (by name). An existing feed is returned with created=false.
func (db *Store) AddFeed(ctx context.Context, f model.Feed) (model.Feed, bool, error) {
	if f.URL == "" {
		return model.Feed{}, false, errors.New("add feed: empty url")
	}
	if f.SourceID == 0 {
		if f.Source.Name == "" {
			return model.Feed{}, false, fmt.Errorf("add feed %s: no source", f.URL)
		}
		src, err := db.UpsertSource(ctx, f.Source)
		if err != nil {
			return model.Feed{}, false, fmt.Errorf("add feed %s: %w", f.URL, err)
		}
		f.SourceID = src.ID
	}
	var id int64
	created := true
	err := db.queryRow(ctx, db.W, `INSERT INTO feeds (source_id, url, title, etag, last_modified, next_poll)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING RETURNING id`,
		f.SourceID, f.URL, f.Title, f.ETag, f.LastModified, Micros(f.NextPoll)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		created = false
		err = db.queryRow(ctx, db.W, `SELECT id FROM feeds WHERE url = ?`, f.URL).Scan(&id)
	}
	if err != nil {
		return model.Feed{}, false, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	out, err := db.feed(ctx, db.W, id)
	if err != nil {
		return model.Feed{}, false, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	return out, created, nil
}

func (db *Store) feed(ctx context.Context, q querier, id int64) (model.Feed, error) {
	row := db.queryRow(ctx, q, `SELECT `+feedCols+`, (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id)
FROM feeds f JOIN sources s ON s.id = f.source_id WHERE f.id = ?`, id)
	var n int
	f, err := scanFeed(row, &n)
	if err != nil {
		return model.Feed{}, notFound(err)
	}
	f.Articles = n
	return f, nil
}

// RemoveFeed unsubscribes from url. Its articles stay, with feed id 0.
func (db *Store) RemoveFeed(ctx context.Context, url string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := db.queryRow(ctx, tx, `SELECT id FROM feeds WHERE url = ?`, url).Scan(&id); err != nil {
			return notFound(err)
		}
		if _, err := db.exec(ctx, tx, `UPDATE articles SET feed_id = 0 WHERE feed_id = ?`, id); err != nil {
			return err
		}
		_, err := db.exec(ctx, tx, `DELETE FROM feeds WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove feed %s: %w", url, err)
	}
	return nil
}

// Feeds lists every feed with its source and article count, by source name.
func (db *Store) Feeds(ctx context.Context) ([]model.Feed, error) {
	rows, err := db.query(ctx, db.R, `SELECT `+feedCols+`, COALESCE(c.n, 0)
FROM feeds f JOIN sources s ON s.id = f.source_id
LEFT JOIN (SELECT feed_id, COUNT(*) AS n FROM articles WHERE feed_id <> 0 GROUP BY feed_id) c ON c.feed_id = f.id
ORDER BY s.name, f.url`)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	defer rows.Close()
	var out []model.Feed
	for rows.Next() {
		var n int
		f, err := scanFeed(rows, &n)
		if err != nil {
			return nil, fmt.Errorf("list feeds: %w", err)
		}
		f.Articles = n
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return out, nil
}

// LeaseDueFeeds leases up to limit due feeds (NextPoll <= now, no live
// lease, not retired) to owner until now+lease, soonest due first; an
// owner's own live leases are renewed and returned again. The pick and the
// lease happen in one statement inside a write transaction; on PostgreSQL
// the pick skips rows another leaser has locked, on SQLite writers are
// serialized.
// Returned feeds have Source filled; Articles is not counted.
func (db *Store) LeaseDueFeeds(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]model.Feed, error) {
	if owner == "" {
		return nil, errors.New("lease feeds: empty owner")
	}
	if limit <= 0 {
		return nil, nil
	}
	nowUS := Micros(now)
	var out []model.Feed
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := db.query(ctx, tx, `UPDATE feeds SET lease_owner = ?, lease_until = ?
WHERE id IN (SELECT id FROM feeds WHERE next_poll <= ? AND lease_until <= ? AND retired = 0 AND paused_at = 0
  ORDER BY next_poll, id LIMIT ?`+db.D.LockSkip+`)
RETURNING id`, owner, Micros(now.Add(lease)), nowUS, nowUS, limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		rows, err = db.query(ctx, tx, `SELECT `+feedCols+` FROM feeds f JOIN sources s ON s.id = f.source_id
WHERE f.id IN (`+placeholders(len(ids))+`) ORDER BY f.next_poll, f.id`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFeed(rows)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("lease due feeds for %s: %w", owner, err)
	}
	return out, nil
}

// SaveFeedState stores a poll's outcome (including retirement) and releases
// the feed's lease.
func (db *Store) SaveFeedState(ctx context.Context, f model.Feed) error {
	res, err := db.exec(ctx, db.W, `UPDATE feeds SET etag = ?, last_modified = ?, next_poll = ?, last_poll = ?,
 last_status = ?, last_error = ?, failures = ?, title = ?, retired = ?, failing_since = ?, lease_owner = '', lease_until = 0 WHERE id = ?`,
		f.ETag, f.LastModified, Micros(f.NextPoll), Micros(f.LastPoll), f.LastStatus, f.LastError,
		f.Failures, f.Title, Micros(f.Retired), Micros(f.FailingSince), f.ID)
	if err == nil {
		err = mustAffect(res)
	}
	if err != nil {
		return fmt.Errorf("save feed state %d: %w", f.ID, err)
	}
	return nil
}

// RenewLease extends owner's lease on feed feedID to until.
func (db *Store) RenewLease(ctx context.Context, feedID int64, owner string, until time.Time) error {
	res, err := db.exec(ctx, db.W, `UPDATE feeds SET lease_until = ? WHERE id = ? AND lease_owner = ?`,
		Micros(until), feedID, owner)
	if err == nil {
		err = mustAffect(res)
	}
	if err != nil {
		return fmt.Errorf("renew lease of feed %d for %s: %w", feedID, owner, err)
	}
	return nil
}

// ReleaseLeases frees every lease held by owner: a process restarted under
// the same name calls it at start, so the feeds a killed predecessor held
// are polled again at once rather than when the leases run out.
func (db *Store) ReleaseLeases(ctx context.Context, owner string) error {
	if _, err := db.exec(ctx, db.W, `UPDATE feeds SET lease_owner = '', lease_until = 0 WHERE lease_owner = ?`, owner); err != nil {
		return fmt.Errorf("release leases of %s: %w", owner, err)
	}
	return nil
}

// SetFeedPaused pauses (at, nonzero) or resumes (zero at) polling of the feed
// at url. A resumed feed is due at once.
func (db *Store) SetFeedPaused(ctx context.Context, url string, at time.Time) error {
	q := `UPDATE feeds SET paused_at = ? WHERE url = ?`
	if at.IsZero() {
		q = `UPDATE feeds SET paused_at = ?, next_poll = CASE WHEN paused_at <> 0 THEN 0 ELSE next_poll END WHERE url = ?`
	}
	res, err := db.exec(ctx, db.W, q, Micros(at), url)
	if err == nil {
		err = mustAffect(res)
	}
	if err != nil {
		return fmt.Errorf("set feed %s paused: %w", url, err)
	}
	return nil
}

// SourceArticles counts stored articles per source.
func (db *Store) SourceArticles(ctx context.Context) (map[int64]int, error) {
	rows, err := db.query(ctx, db.R, `SELECT source_id, COUNT(*) FROM articles GROUP BY source_id`)
	if err != nil {
		return nil, fmt.Errorf("count articles per source: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count articles per source: %w", err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count articles per source: %w", err)
	}
	return out, nil
}

// UpdateSource sets every field of the source with s.ID (a rename included);
// ErrNotFound when there is none.
func (db *Store) UpdateSource(ctx context.Context, s model.Source) (model.Source, error) {
	if s.Name == "" {
		return model.Source{}, errors.New("update source: empty name")
	}
	var out model.Source
	err := db.queryRow(ctx, db.W, `UPDATE sources SET name = ?, home_url = ?, country = ?, language = ?, category = ?
WHERE id = ? RETURNING id, name, home_url, country, language, category`,
		s.Name, s.HomeURL, s.Country, s.Language, s.Category, s.ID).
		Scan(&out.ID, &out.Name, &out.HomeURL, &out.Country, &out.Language, &out.Category)
	if err != nil {
		return model.Source{}, fmt.Errorf("update source %d: %w", s.ID, notFound(err))
	}
	return out, nil
}

// AddAudit records an operator's action.
func (db *Store) AddAudit(ctx context.Context, e model.AuditEntry) error {
	if e.Actor == "" || e.Action == "" {
		return errors.New("add audit entry: actor and action are required")
	}
	if _, err := db.exec(ctx, db.W, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		Micros(e.At), e.Actor, e.Action, e.Target, e.Detail); err != nil {
		return fmt.Errorf("add audit entry: %w", err)
	}
	return nil
}

// Audit lists the newest limit audit entries, newest first.
func (db *Store) Audit(ctx context.Context, limit int) ([]model.AuditEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := db.query(ctx, db.R, `SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	var out []model.AuditEntry
	for rows.Next() {
		var e model.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}
		e.At = Time(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return out, nil
}

// mustAffect turns "no row matched" into store.ErrNotFound.
func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}
