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

// The probes of newestMatches: each selects, newest first, up to $5
// articles matching tsquery $1 with id in ($3, $4], ranked as of $2 while
// their row is at hand. probeAny leaves the plan to the planner; probeWalk,
// with the match written as a function call no index serves, walks the
// primary key down from $4 and stops at $5 matches; probeIndex, ordering by
// an expression, cannot walk the key and takes the GIN matches ANDed with
// the id range (from the BRIN index); probeRest, for a window reaching the
// oldest row, takes the GIN matches alone (the range's bitmap would cost
// more than checking their ids).
var (
	probeAny   = `SELECT a.id, a.story_id, ` + rank + ` FROM articles a WHERE a.id > $3 AND a.id <= $4 AND a.search @@ $1::tsquery ORDER BY a.id DESC LIMIT $5`
	probeWalk  = `SELECT a.id, a.story_id, ` + rank + ` FROM articles a WHERE a.id > $3 AND a.id <= $4 AND ts_match_vq(a.search, $1::tsquery) ORDER BY a.id DESC LIMIT $5`
	probeIndex = `SELECT a.id, a.story_id, ` + rank + ` FROM articles a WHERE a.id > $3 AND a.id <= $4 AND a.search @@ $1::tsquery ORDER BY a.id + 0 DESC LIMIT $5`
	probeRest  = `SELECT a.id, a.story_id, ` + rank + ` FROM articles a WHERE a.id + 0 > $3 AND a.id + 0 <= $4 AND a.search @@ $1::tsquery ORDER BY a.id + 0 DESC LIMIT $5`
)

// match is a matching article (its story, 0 if none) and its rank.
type match struct {
	id, story int64
	r         float64
}

// newestMatches returns the newest n articles matching tsq, newest first,
// ranked as of now (unix microseconds).
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
// plan: walk the key when that reads fewer rows than a quarter of the
// word's postings over the table (a common word), else the GIN index. Probes are sent as unnamed statements so each is planned for its
// own window and words, never with a cached generic plan. Ranking in the
// probe reads each tsvector once, from a row being read anyway.
func (s *Store) newestMatches(ctx context.Context, tsq string, now int64, n int) ([]match, error) {
	var hi int64
	if err := s.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&hi); err != nil {
		return nil, fmt.Errorf("newest article: %w", err)
	}
	ms := make([]match, 0, min(n, 4096))
	var seen int64 // rows covered by the windows so far
	for w, probe := int64(n), probeAny; len(ms) < n && hi > 0; {
		lo := max(hi-w, 0)
		if lo == 0 && probe == probeIndex {
			probe = probeRest
		}
		rows, err := s.R.QueryContext(ctx, probe, pgx.QueryExecModeExec, tsq, now, lo, hi, n-len(ms))
		if err != nil {
			return nil, fmt.Errorf("probe ids (%d, %d]: %w", lo, hi, err)
		}
		for rows.Next() {
			var m match
			if err := rows.Scan(&m.id, &m.story, &m.r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("probe ids (%d, %d]: %w", lo, hi, err)
			}
			ms = append(ms, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("probe ids (%d, %d]: %w", lo, hi, err)
		}
		seen += hi - lo
		hi = lo
		need, found := float64(n-len(ms)), float64(len(ms))
		next := 8 * float64(w)
		if found > 0 {
			next = max(2*float64(w), need*float64(seen)/found*1.25)
		}
		w = int64(min(next, float64(hi))) + 1 // hi is the rows left below
		// Walking reads about need/rate rows; the GIN index reads the
		// word's postings over the whole table, about rate·table rows, each
		// a few times cheaper.
		probe = probeIndex
		if rate := found / float64(seen); need/rate <= rate*float64(seen+hi)/4 {
			probe = probeWalk
		}
	}
	return ms, nil
}

// words is the user's text reduced to plain words; plainto_tsquery accepts
// anything, but the reduction keeps both backends matching the same words.
func words(q string) string { return strings.Join(sqlstore.Terms(q), " ") }

// ranked parses q and returns its newest maxRanked matches, best first
// (rank, then newest).
func (s *Store) ranked(ctx context.Context, q string) ([]match, error) {
	w := words(q)
	if w == "" {
		return nil, nil
	}
	tsq, err := s.tsquery(ctx, w)
	if err != nil || tsq == "" {
		return nil, err
	}
	ms, err := s.newestMatches(ctx, tsq, time.Now().UnixMicro(), maxRanked)
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].r != ms[j].r {
			return ms[i].r > ms[j].r
		}
		return ms[i].id > ms[j].id
	})
	return ms, err
}

// Search returns articles matching every word of q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	ms, err := s.ranked(ctx, q)
	if err != nil || len(ms) == 0 {
		return nil, wrapSearch("search", q, err)
	}
	ids := make([]int64, 0, limit)
	for _, m := range ms[:min(limit, len(ms))] {
		ids = append(ids, m.id)
	}
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.ArticleCols+`
FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ANY($1::bigint[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	got, err := sqlstore.ReadArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return inOrder(ids, got, func(a model.Article) int64 { return a.ID }), nil
}

// SearchStories returns live stories ranked by their best matching article.
func (s *Store) SearchStories(ctx context.Context, q string, limit int) ([]model.Story, error) {
	if limit <= 0 {
		return nil, nil
	}
	ms, err := s.ranked(ctx, q)
	if err != nil || len(ms) == 0 {
		return nil, wrapSearch("search stories", q, err)
	}
	// A story ranks as its best match (ms is best first); ties go to the
	// newer story.
	var sids []int64
	best := map[int64]float64{}
	for _, m := range ms {
		if _, ok := best[m.story]; m.story != 0 && !ok {
			best[m.story] = m.r
			sids = append(sids, m.story)
		}
	}
	sort.SliceStable(sids, func(i, j int) bool {
		if best[sids[i]] != best[sids[j]] {
			return best[sids[i]] > best[sids[j]]
		}
		return sids[i] > sids[j]
	})
	// Look the stories up a page and a bit at a time: merged ones drop out.
	var out []model.Story
	for len(sids) > 0 && len(out) < limit {
		batch := sids[:min(len(sids), limit-len(out)+limit/2+1)]
		sids = sids[len(batch):]
		got, err := s.liveStories(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("search stories %q: %w", q, err)
		}
		out = append(out, inOrder(batch, got, func(t model.Story) int64 { return t.ID })...)
	}
	return out[:min(limit, len(out))], nil
}

// liveStories returns the stories of ids that were not merged away, in no
// particular order.
func (s *Store) liveStories(ctx context.Context, ids []int64) ([]model.Story, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+sqlstore.StoryCols+` FROM stories t WHERE t.id = ANY($1::bigint[]) AND t.merged_into = 0`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Story
	for rows.Next() {
		st, err := sqlstore.ScanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// inOrder returns those of got whose id is in ids, in the order of ids.
func inOrder[T any](ids []int64, got []T, id func(T) int64) []T {
	byID := make(map[int64]T, len(got))
	for _, g := range got {
		byID[id(g)] = g
	}
	out := make([]T, 0, len(got))
	for _, i := range ids {
		if g, ok := byID[i]; ok {
			out = append(out, g)
		}
	}
	return out
}

// wrapSearch wraps a failed search's error; nil stays nil (nothing to find).
func wrapSearch(what, q string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %q: %w", what, q, err)
}
