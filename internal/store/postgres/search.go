package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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

// The probes of newestMatches: each selects, newest first, up to $4 ids of
// articles matching tsquery $1 with id in ($2, $3]. probeAny leaves the
// plan to the planner; probeWalk, with the match written as a function
// call no index serves, walks the primary key down from $3 and stops at $4
// matches; probeIndex, ordering by an expression, cannot walk the key and
// takes the GIN matches ANDed with the id range (from the BRIN index);
// probeRest, for a window reaching the oldest row, takes the GIN matches
// alone (the range's bitmap would cost more than checking their ids).
const (
	probeAny   = `SELECT id FROM articles WHERE id > $2 AND id <= $3 AND search @@ $1::tsquery ORDER BY id DESC LIMIT $4`
	probeWalk  = `SELECT id FROM articles WHERE id > $2 AND id <= $3 AND ts_match_vq(search, $1::tsquery) ORDER BY id DESC LIMIT $4`
	probeIndex = `SELECT id FROM articles WHERE id > $2 AND id <= $3 AND search @@ $1::tsquery ORDER BY id + 0 DESC LIMIT $4`
	probeRest  = `SELECT id FROM articles WHERE id + 0 > $2 AND id + 0 <= $3 AND search @@ $1::tsquery ORDER BY id + 0 DESC LIMIT $4`
)

// newestMatches returns the ids of the newest n articles matching tsq,
// newest first.
//
// Why windows: one GIN lookup over the whole table is right for a rare
// word but hopeless for a common one (a word in every article has the
// whole table in its bitmap, and finding the top n ids visits every row),
// while walking the primary key backwards is the opposite (about n rows
// for a common word, the whole table for a rare one); the planner cannot
// tell the two apart when the word is missing from its statistics or
// common in old articles only. So the newest ids are probed in windows
// below the newest id, each only for the matches still missing. The first
// covers the newest n rows, small enough for any plan; the share of rows
// that matched so far then sizes the next window to hold the rest (with a
// quarter to spare; 8 times wider when nothing matched yet) and picks its
// plan: walk the key where at least one row in four matches, else the GIN
// index. Probes are sent as unnamed statements so each is planned for its
// own window and words, never with a cached generic plan.
func (s *Store) newestMatches(ctx context.Context, tsq string, n int) ([]int64, error) {
	var hi int64
	if err := s.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&hi); err != nil {
		return nil, fmt.Errorf("newest article: %w", err)
	}
	ids := make([]int64, 0, min(n, 4096))
	var seen int64 // rows covered by the windows so far
	for w, probe := int64(n), probeAny; len(ids) < n && hi > 0; {
		lo := max(hi-w, 0)
		if lo == 0 && probe == probeIndex {
			probe = probeRest
		}
		rows, err := s.R.QueryContext(ctx, probe, pgx.QueryExecModeExec, tsq, lo, hi, n-len(ids))
		if err != nil {
			return nil, fmt.Errorf("probe ids (%d, %d]: %w", lo, hi, err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("probe ids (%d, %d]: %w", lo, hi, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("probe ids (%d, %d]: %w", lo, hi, err)
		}
		seen += hi - lo
		hi = lo
		need, found := float64(n-len(ids)), float64(len(ids))
		next := 8 * float64(w)
		if found > 0 {
			next = max(2*float64(w), need*float64(seen)/found*1.25)
		}
		w = int64(min(next, float64(hi))) + 1 // hi is the rows left below
		probe = probeIndex
		if found*4 >= float64(seen) {
			probe = probeWalk
		}
	}
	return ids, nil
}

// words is the user's text reduced to plain words; plainto_tsquery accepts
// anything, but the reduction keeps both backends matching the same words.
func words(q string) string { return strings.Join(sqlstore.Terms(q), " ") }

// matches parses q and finds its newest maxRanked matches; no ids means
// nothing to rank.
func (s *Store) matches(ctx context.Context, q string) (tsq string, ids []int64, err error) {
	w := words(q)
	if w == "" {
		return "", nil, nil
	}
	if tsq, err = s.tsquery(ctx, w); err != nil || tsq == "" {
		return "", nil, err
	}
	ids, err = s.newestMatches(ctx, tsq, maxRanked)
	return tsq, ids, err
}

// Search returns articles matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	tsq, ids, err := s.matches(ctx, q)
	if err != nil || len(ids) == 0 {
		return nil, wrapSearch("search", q, err)
	}
	// Rank the newest matches, then fetch the page's full rows.
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.ArticleCols+` FROM (
  SELECT a.id AS hid, `+rank+` AS r FROM articles a WHERE a.id = ANY($4::bigint[])
  ORDER BY r DESC, a.id DESC LIMIT $3
) h JOIN articles a ON a.id = h.hid JOIN sources s ON s.id = a.source_id
ORDER BY h.r DESC, a.id DESC`, tsq, time.Now().UnixMicro(), limit, ids)
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
	if limit <= 0 {
		return nil, nil
	}
	tsq, ids, err := s.matches(ctx, q)
	if err != nil || len(ids) == 0 {
		return nil, wrapSearch("search stories", q, err)
	}
	// Each match is ranked before grouping (OFFSET 0 keeps the planner from
	// moving the rank into the aggregate, which would sort the tsvectors
	// along), and the stories come ordered by rank so that only as many are
	// looked up as the page needs instead of joining the stories table.
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.StoryCols+` FROM (
  SELECT sid, MAX(r) AS r FROM (
    SELECT a.story_id AS sid, `+rank+` AS r FROM articles a
    WHERE a.id = ANY($4::bigint[]) AND a.story_id <> 0 OFFSET 0
  ) x GROUP BY sid ORDER BY r DESC, sid DESC
) m JOIN stories t ON t.id = m.sid
WHERE t.merged_into = 0 ORDER BY m.r DESC, t.id DESC LIMIT $3`, tsq, time.Now().UnixMicro(), limit, ids)
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
