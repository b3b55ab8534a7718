package storetest

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store"
)

// BenchStoryListing measures the front page's listing with and without
// PerStoryline over n live stories in storylines of four events (scores
// random, so a storyline's events are spread over the whole ranking). The
// stories are written straight into db (rebind adapts placeholders), then
// the statements of after run (statistics); that is not timed.
func BenchStoryListing(b *testing.B, s store.Store, db *sql.DB, rebind func(string) string, n int, after ...string) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	// Scores first: each event row carries its storyline's best (line_score).
	scores, best := make([]float64, n), make([]float64, n/4+1)
	for i := range scores {
		scores[i] = r.Float64() * 100
		best[i/4] = max(best[i/4], scores[i])
	}
	const per = 500
	for start := 0; start < n; start += per {
		var rows []string
		var args []any
		for i := start; i < min(n, start+per); i++ {
			rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			first := base + int64(i)*60_000_000
			newest := 0 // as Assign keeps it: the storyline's last event
			if i%4 == 3 || i == n-1 {
				newest = 1
			}
			args = append(args, i+1, "event", first, first+3_600_000_000, 1+r.IntN(3), 1+r.IntN(3), scores[i], 1+i/4, newest, 4, best[i/4])
		}
		if _, err := tx.ExecContext(ctx, rebind(`INSERT INTO stories (id, headline, first_seen, updated, articles, outlets, score, storyline_id, line_newest, line_events, line_score) VALUES `+
			strings.Join(rows, ", ")), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for _, q := range after {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name  string
		q     store.StoryQuery
		pages int
	}{
		{"all/page1", store.StoryQuery{Limit: 30}, 1},
		{"perStoryline/page1", store.StoryQuery{Limit: 30, PerStoryline: true}, 1},
		{"perStoryline/pages1-10", store.StoryQuery{Limit: 30, PerStoryline: true}, 10},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				q := c.q
				for range c.pages {
					list, next, err := s.Stories(ctx, q)
					if err != nil || len(list) != q.Limit {
						b.Fatalf("%d stories, %v", len(list), err)
					}
					q.Cursor = next
				}
			}
		})
	}
}
