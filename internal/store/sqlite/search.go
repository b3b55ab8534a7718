package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store/sqlstore"
)

// matchExpr turns search words into an FTS5 query: every word quoted (so
// no character is syntax), all words required.
func matchExpr(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(q, " ")
}

// recencyExpr divides a relevance score as the article ages; its one
// parameter is now in unix microseconds.
var recencyExpr = fmt.Sprintf(`(1.0 + max(0, ? - CASE WHEN a.published <> 0 THEN a.published ELSE a.fetched END) / %g)`,
	sqlstore.RecencyHalfLife*86400e6)

// maxRanked is sqlstore.MaxRanked, variable for tests.
var maxRanked = sqlstore.MaxRanked

// bm25MaxDocs is the most documents a word may be in and still be weighed by
// bm25. FTS5's bm25 reads the whole document list of every word of the query
// to count it (about 60 ms for a word in each of a million articles), however
// few rows are ranked; a word that common says little about relevance anyway.
// Variable for tests.
var bm25MaxDocs int64 = 100_000

// newestFloor is the rowid of the k-th newest row matching m, or 0 when
// fewer rows match: FTS5 walks the document list backwards from the
// newest id, so this costs k entries, not the whole list.
func (s *Store) newestFloor(ctx context.Context, m string, k int) (int64, error) {
	rows, err := s.ReadQuery(ctx, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?
ORDER BY rowid DESC LIMIT 1 OFFSET ?`, m, k-1)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id int64
	if rows.Next() {
		err = rows.Scan(&id)
	}
	if err == nil {
		err = rows.Err()
	}
	return id, err
}

// newestIDs returns the ids of the newest k rows matching m, as a JSON
// array for json_each, and the oldest of them when there are k (else 0).
func (s *Store) newestIDs(ctx context.Context, m string, k int) (string, int64, error) {
	rows, err := s.ReadQuery(ctx, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?
ORDER BY rowid DESC LIMIT ?`, m, k)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteByte('[')
	n, id := 0, int64(0)
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return "", 0, err
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
		n++
	}
	b.WriteByte(']')
	if n < k {
		id = 0
	}
	return b.String(), id, rows.Err()
}

// hits is the ranking subquery of one search: it yields (hid, sid, r) for
// the newest maxRanked matches, lower r better, and the arguments it binds.
//
// Only the newest matches are ranked (ids grow with arrival, and recency
// already pushes older ones down), so common words cost what rare ones do.
// Words in more than bm25MaxDocs articles are required but not weighed by
// bm25; when every word is that common, relevance is whether the title
// holds them all, times recency.
func (s *Store) hits(ctx context.Context, terms []string) (string, []any, error) {
	all := matchExpr(terms)
	var ids string
	var floor int64
	var err error
	if len(terms) == 1 {
		floor, err = s.newestFloor(ctx, all, maxRanked)
	} else {
		ids, floor, err = s.newestIDs(ctx, all, maxRanked)
	}
	if err != nil {
		return "", nil, err
	}
	var newest int64
	if err := s.ReadDB().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&newest); err != nil {
		return "", nil, err
	}
	var rare, common []string
	for _, t := range terms {
		f := floor
		if len(terms) > 1 {
			if f, err = s.newestFloor(ctx, matchExpr([]string{t}), maxRanked); err != nil {
				return "", nil, err
			}
		}
		// The k-th newest match's id gives the word's density among recent
		// articles; fewer than k matches means it is rare.
		if f == 0 || int64(maxRanked)*newest/max(1, newest-f+1) <= bm25MaxDocs {
			rare = append(rare, t)
		} else {
			common = append(common, t)
		}
	}
	now := time.Now().UnixMicro()
	const from = ` FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH ? AND articles_fts.rowid >= ?`
	// The common words filter through the ids of the whole query's newest
	// matches, already listed for the floor. "+" keeps that list a filter: as
	// a rowid constraint the planner would run one FTS5 query per listed id.
	const alsoMatching = ` AND +articles_fts.rowid IN (SELECT value FROM json_each(?))`
	if len(rare) == 0 {
		q := `SELECT a.id AS hid, a.story_id AS sid, -(1.0 + 3.0 * (+articles_fts.rowid IN (
    SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ?))) / ` + recencyExpr + ` AS r` + from
		return q, []any{"{title} : (" + all + ")", floor, now, all, floor}, nil
	}
	q := `SELECT a.id AS hid, a.story_id AS sid, bm25(articles_fts, 4.0, 1.0) / ` + recencyExpr + ` AS r` + from
	args := []any{now, matchExpr(rare), floor}
	if len(common) > 0 {
		q += alsoMatching
		args = append(args, ids)
	}
	return q, args, nil
}

// Search returns articles matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	terms := sqlstore.Terms(q)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	hits, args, err := s.hits(ctx, terms)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	// Rank on ids alone, then fetch the full rows of the page only: sorting
	// every match with its text and HTML would cost more than ranking it.
	rows, err := s.ReadQuery(ctx, `SELECT `+sqlstore.ArticleCols+` FROM (
  SELECT hid, r FROM (`+hits+`) ORDER BY r, hid DESC LIMIT ?
) h JOIN articles a ON a.id = h.hid JOIN sources s ON s.id = a.source_id
ORDER BY h.r, a.id DESC`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	out, err := sqlstore.ReadArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}

// SearchStories returns live stories ranked by their best matching article.
func (s *Store) SearchStories(ctx context.Context, q string, limit int) ([]model.Story, error) {
	terms := sqlstore.Terms(q)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	hits, args, err := s.hits(ctx, terms)
	if err != nil {
		return nil, fmt.Errorf("search stories %q: %w", q, err)
	}
	// bm25 cannot be used inside an aggregate, so matches are ranked in a
	// materialized CTE first and grouped after.
	rows, err := s.ReadQuery(ctx, `WITH hits AS MATERIALIZED (`+hits+`)
SELECT `+sqlstore.StoryCols+` FROM (SELECT sid, MIN(r) AS r FROM hits WHERE sid <> 0 GROUP BY sid) m
JOIN stories t ON t.id = m.sid
WHERE t.merged_into = 0 ORDER BY m.r, t.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search stories %q: %w", q, err)
	}
	defer rows.Close()
	var out []model.Story
	for rows.Next() {
		st, err := sqlstore.ScanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("search stories %q: %w", q, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search stories %q: %w", q, err)
	}
	return out, nil
}
