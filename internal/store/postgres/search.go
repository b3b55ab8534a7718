package postgres

import (
	"context"
	"fmt"
	"sort"
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

// tsquery parses the user's words with every configuration and returns
// the distinct results OR-ed, as tsquery text. Done as a query of its own,
// the search query then gets a plain tsquery parameter its plan can use
// the GIN index with, and ranking does not re-parse per row. "" means no
// searchable word (only stop words, say).
func (s *Store) tsquery(ctx context.Context, words string) (string, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT DISTINCT plainto_tsquery(c::regconfig, $1)::text
FROM unnest($2::text[]) AS c`, words, configs)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return "", err
		}
		if q != "" {
			parts = append(parts, "("+q+")")
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	sort.Strings(parts)
	return strings.Join(parts, " | "), nil
}

// rank is relevance (title weighs more) shrunk as the article ages; $1 is
// the tsquery, $2 now in unix microseconds.
var rank = fmt.Sprintf(`ts_rank(a.search, $1::tsquery) / (1.0 + GREATEST(0, $2 - CASE WHEN a.published <> 0 THEN a.published ELSE a.fetched END) / %g)`,
	sqlstore.RecencyHalfLife*86400e6)

// maxRanked is sqlstore.MaxRanked, variable for tests.
var maxRanked = sqlstore.MaxRanked

// newestMatches selects the newest $4 articles matching tsquery $1, with
// what ranking needs: ranking reads each match's tsvector, so only these
// are ranked. "id + 0" keeps the planner on the GIN index (one bitmap scan,
// a top-N sort) instead of walking the primary key backwards through
// non-matching rows. The tsvector is only read for the rows kept.
const newestMatches = `SELECT m.id, m.story_id, m.search, m.published, m.fetched FROM articles m
  WHERE m.search @@ $1::tsquery ORDER BY m.id + 0 DESC LIMIT $4`

// words is the user's text reduced to plain words; plainto_tsquery accepts
// anything, but the reduction keeps both backends matching the same words.
func words(q string) string { return strings.Join(sqlstore.Terms(q), " ") }

// Search returns articles matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	w := words(q)
	if w == "" || limit <= 0 {
		return nil, nil
	}
	tsq, err := s.tsquery(ctx, w)
	if err != nil || tsq == "" {
		return nil, wrapSearch("search", q, err)
	}
	// Rank the newest matches on the index-found ids, then fetch the page's
	// full rows.
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.ArticleCols+` FROM (
  SELECT a.id AS hid, `+rank+` AS r FROM (`+newestMatches+`) a
  ORDER BY r DESC, a.id DESC LIMIT $3
) h JOIN articles a ON a.id = h.hid JOIN sources s ON s.id = a.source_id
ORDER BY h.r DESC, a.id DESC`, tsq, time.Now().UnixMicro(), limit, maxRanked)
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
	w := words(q)
	if w == "" || limit <= 0 {
		return nil, nil
	}
	tsq, err := s.tsquery(ctx, w)
	if err != nil || tsq == "" {
		return nil, wrapSearch("search stories", q, err)
	}
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.StoryCols+` FROM (
  SELECT a.story_id AS sid, MAX(`+rank+`) AS r FROM (`+newestMatches+`) a
  WHERE a.story_id <> 0 GROUP BY a.story_id
) m JOIN stories t ON t.id = m.sid
WHERE t.merged_into = 0 ORDER BY m.r DESC, t.id DESC LIMIT $3`, tsq, time.Now().UnixMicro(), limit, maxRanked)
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

// wrapSearch wraps a failed search's error; nil stays nil (nothing to find).
func wrapSearch(what, q string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %q: %w", what, q, err)
}
