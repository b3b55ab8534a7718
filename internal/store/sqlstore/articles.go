package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// ArticleCols selects an article joined with its source (aliases a and s).
const ArticleCols = `a.id, a.source_id, a.feed_id, a.url, a.guid, a.title, a.author, a.published, a.fetched,
 a.text, a.html, a.image, a.language, a.site_name, a.story_id, a.copy_of, a.reason,
 s.id, s.name, s.home_url, s.country, s.language`

// ScanArticle scans ArticleCols (then extra destinations) from sc.
func ScanArticle(sc interface{ Scan(...any) error }, extra ...any) (model.Article, error) {
	var a model.Article
	var pub, fetched int64
	dest := []any{&a.ID, &a.SourceID, &a.FeedID, &a.URL, &a.GUID, &a.Title, &a.Author, &pub, &fetched,
		&a.Text, &a.HTML, &a.Image, &a.Language, &a.SiteName, &a.StoryID, &a.CopyOf, &a.Reason,
		&a.Source.ID, &a.Source.Name, &a.Source.HomeURL, &a.Source.Country, &a.Source.Language}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return model.Article{}, err
	}
	a.Published, a.Fetched = Time(pub), Time(fetched)
	return a, nil
}

// HasArticle reports whether url, or guid from sourceID, is stored.
func (db *Store) HasArticle(ctx context.Context, sourceID int64, url, guid string) (bool, error) {
	var one int
	err := db.queryRow(ctx, db.R, `SELECT 1 FROM articles WHERE url = ?
UNION ALL SELECT 1 FROM articles WHERE source_id = ? AND guid = ? AND guid <> '' LIMIT 1`,
		url, sourceID, guid).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("has article %s: %w", url, err)
	}
	return true, nil
}

// InsertArticle stores a unless its URL or (source, GUID) is already stored;
// either way a.ID ends up set. Unique indexes decide, so concurrent inserts
// of one article from several goroutines or processes create one row.
func (db *Store) InsertArticle(ctx context.Context, a *model.Article) (bool, error) {
	if a.URL == "" {
		return false, errors.New("insert article: empty url")
	}
	err := db.queryRow(ctx, db.W, `INSERT INTO articles (source_id, feed_id, url, guid, title, author,
 published, fetched, text, html, image, language, site_name, story_id, copy_of, reason)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
		a.SourceID, a.FeedID, a.URL, a.GUID, a.Title, a.Author, Micros(a.Published), Micros(a.Fetched),
		a.Text, a.HTML, a.Image, a.Language, a.SiteName, a.StoryID, a.CopyOf, a.Reason).Scan(&a.ID)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("insert article %s: %w", a.URL, err)
	}
	// A conflict: find the row that won, by URL first.
	err = db.queryRow(ctx, db.W, `SELECT id FROM articles WHERE url = ?`, a.URL).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) && a.GUID != "" {
		err = db.queryRow(ctx, db.W, `SELECT id FROM articles WHERE source_id = ? AND guid = ?`,
			a.SourceID, a.GUID).Scan(&a.ID)
	}
	if err != nil {
		return false, fmt.Errorf("insert article %s: find existing: %w", a.URL, err)
	}
	return false, nil
}

// Article returns one article with its source.
func (db *Store) Article(ctx context.Context, id int64) (model.Article, error) {
	a, err := ScanArticle(db.queryRow(ctx, db.R, `SELECT `+ArticleCols+`
FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?`, id))
	if err != nil {
		return model.Article{}, fmt.Errorf("article %d: %w", id, notFound(err))
	}
	return a, nil
}

// Articles returns a page newest first by (published, id) and the cursor of
// the next page. Keyset paging keeps pages free of gaps and repeats while
// articles are being inserted.
func (db *Store) Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, string, error) {
	limit := clampLimit(q.Limit)
	var where []string
	var args []any
	if q.StoryID != 0 {
		where = append(where, "a.story_id = ?")
		args = append(args, q.StoryID)
	}
	if q.SourceID != 0 {
		where = append(where, "a.source_id = ?")
		args = append(args, q.SourceID)
	}
	if !q.Since.IsZero() {
		where = append(where, "a.published >= ?")
		args = append(args, Micros(q.Since))
	}
	if q.Cursor != "" {
		k, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", fmt.Errorf("list articles: %w", err)
		}
		pub, id, err := k.ints()
		if err != nil {
			return nil, "", fmt.Errorf("list articles: %w", err)
		}
		// A row-value comparison lets both engines seek the (published, id) index;
		// the equivalent OR form made SQLite scan it.
		where = append(where, "(a.published, a.id) < (?, ?)")
		args = append(args, pub, id)
	}
	query := `SELECT ` + ArticleCols + ` FROM articles a JOIN sources s ON s.id = a.source_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY a.published DESC, a.id DESC LIMIT ?"
	args = append(args, limit+1)
	out, err := db.scanArticles(ctx, db.R, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list articles: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(Micros(last.Published), last.ID)
	}
	return out, next, nil
}

// Unclustered returns up to limit articles without a story, oldest id first.
func (db *Store) Unclustered(ctx context.Context, limit int) ([]model.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	out, err := db.scanArticles(ctx, db.R, `SELECT `+ArticleCols+`
FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.story_id = 0 ORDER BY a.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list unclustered articles: %w", err)
	}
	return out, nil
}

func (db *Store) scanArticles(ctx context.Context, q querier, query string, args ...any) ([]model.Article, error) {
	rows, err := db.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	return ReadArticles(rows)
}

// ReadArticles scans every row (ArticleCols) and closes rows.
func ReadArticles(rows *sql.Rows) ([]model.Article, error) {
	defer rows.Close()
	var out []model.Article
	for rows.Next() {
		a, err := ScanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
