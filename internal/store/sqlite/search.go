package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store/sqlstore"
)

// matchExpr turns user text into an FTS5 query: every word quoted (so no
// character is syntax), all words required.
func matchExpr(q string) string {
	terms := sqlstore.Terms(q)
	for i, t := range terms {
		terms[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(terms, " ")
}

// rankExpr orders matches: bm25 (negative, lower is better; title words
// weigh 4x) shrunk toward zero as the article ages. The one parameter is now
// in unix microseconds.
var rankExpr = fmt.Sprintf(`bm25(articles_fts, 4.0, 1.0) / (1.0 + max(0, ? - CASE WHEN a.published <> 0 THEN a.published ELSE a.fetched END) / %g)`,
	sqlstore.RecencyHalfLife*86400e6)

// maxRanked is sqlstore.MaxRanked, variable for tests.
var maxRanked = sqlstore.MaxRanked

// floor is the lowest article id worth ranking for match m: ranking costs
// per match, so only the newest sqlstore.MaxRanked matches (ids grow with
// arrival) are ranked; 0 when there are fewer.
func (s *Store) floor(ctx context.Context, m string) (int64, error) {
	rows, err := s.ReadQuery(ctx, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?
ORDER BY rowid DESC LIMIT 1 OFFSET ?`, m, maxRanked-1)
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

// Search returns articles matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	m := matchExpr(q)
	if m == "" || limit <= 0 {
		return nil, nil
	}
	floor, err := s.floor(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	// Rank on ids alone, then fetch the full rows of the page only: sorting
	// every match with its text and HTML would cost more than ranking it.
	rows, err := s.ReadQuery(ctx, `SELECT `+sqlstore.ArticleCols+` FROM (
  SELECT a.id AS hid, `+rankExpr+` AS r
  FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? ORDER BY r, a.id DESC LIMIT ?
) h JOIN articles a ON a.id = h.hid JOIN sources s ON s.id = a.source_id
ORDER BY h.r, a.id DESC`, time.Now().UnixMicro(), m, floor, limit)
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
	m := matchExpr(q)
	if m == "" || limit <= 0 {
		return nil, nil
	}
	floor, err := s.floor(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("search stories %q: %w", q, err)
	}
	// bm25 cannot be used inside an aggregate, so matches are ranked in a
	// materialized CTE first and grouped after.
	rows, err := s.ReadQuery(ctx, `WITH hits AS MATERIALIZED (
  SELECT a.story_id AS sid, `+rankExpr+` AS r
  FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? AND a.story_id <> 0
)
SELECT `+sqlstore.StoryCols+` FROM (SELECT sid, MIN(r) AS r FROM hits GROUP BY sid) m JOIN stories t ON t.id = m.sid
WHERE t.merged_into = 0 ORDER BY m.r, t.id DESC LIMIT ?`, time.Now().UnixMicro(), m, floor, limit)
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
