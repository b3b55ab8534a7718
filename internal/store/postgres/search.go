package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store/sqlstore"
)

// configs are the text search configurations dateline_regconfig can give an
// article. A query is parsed with each and the results OR-ed, so it meets
// every article stemmed the way that article was indexed.
var configs = []string{"simple", "arabic", "danish", "dutch", "english", "finnish", "french", "german",
	"greek", "hungarian", "indonesian", "irish", "italian", "lithuanian", "nepali", "norwegian",
	"portuguese", "romanian", "russian", "spanish", "swedish", "tamil", "turkish"}

// tsquery is the query expression over parameter $1 (the user's words).
var tsquery = func() string {
	parts := make([]string, len(configs))
	for i, c := range configs {
		parts[i] = "plainto_tsquery('" + c + "', $1)"
	}
	return "(" + strings.Join(parts, " || ") + ")"
}()

// rank is relevance (title weighs more) shrunk as the article ages; $2 is
// now in unix microseconds.
var rank = fmt.Sprintf(`ts_rank(a.search, q.query) / (1.0 + GREATEST(0, $2 - CASE WHEN a.published <> 0 THEN a.published ELSE a.fetched END) / %g)`,
	sqlstore.RecencyHalfLife*86400e6)

// words is the user's text reduced to plain words; plainto_tsquery accepts
// anything, but the reduction keeps both backends matching the same words.
func words(q string) string { return strings.Join(sqlstore.Terms(q), " ") }

// Search returns articles matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	w := words(q)
	if w == "" || limit <= 0 {
		return nil, nil
	}
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.ArticleCols+`
FROM (SELECT `+tsquery+` AS query) q, articles a JOIN sources s ON s.id = a.source_id
WHERE a.search @@ q.query ORDER BY `+rank+` DESC, a.id DESC LIMIT $3`, w, time.Now().UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	defer rows.Close()
	var out []model.Article
	for rows.Next() {
		a, err := sqlstore.ScanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}

// SearchStories returns live stories ranked by their best matching article.
func (s *Store) SearchStories(ctx context.Context, q string, limit int) ([]model.Story, error) {
	w := words(q)
	if w == "" || limit <= 0 {
		return nil, nil
	}
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.StoryCols+` FROM (
  SELECT a.story_id AS sid, MAX(`+rank+`) AS r
  FROM (SELECT `+tsquery+` AS query) q, articles a
  WHERE a.search @@ q.query AND a.story_id <> 0 GROUP BY a.story_id
) m JOIN stories t ON t.id = m.sid
WHERE t.merged_into = 0 ORDER BY m.r DESC, t.id DESC LIMIT $3`, w, time.Now().UnixMicro(), limit)
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
