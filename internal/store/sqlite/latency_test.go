package sqlite

import (
	"context"
	"iter"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearchLatency reports p50/p99 of Search and SearchStories on a
// large database at DATELINE_BENCH_SEARCH_DB. When the file does not exist it
// is filled first with storetest.BulkCorpus (DATELINE_BENCH_ARTICLES
// articles, default 1,000,000; about 10 minutes) and kept for later runs:
//
//	DATELINE_BENCH_SEARCH_DB=/tmp/search1m.db go test -run '^$' -bench SearchLatency \
//	  -benchtime 100x -cpu 1 -timeout 60m ./internal/store/sqlite
func BenchmarkSearchLatency(b *testing.B) {
	path := os.Getenv("DATELINE_BENCH_SEARCH_DB")
	if path == "" {
		b.Skip("DATELINE_BENCH_SEARCH_DB not set")
	}
	ctx := context.Background()
	_, statErr := os.Stat(path)
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if statErr != nil {
		n := storetest.BulkSize()
		start := time.Now()
		if err := bulkCorpus(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d articles in %v", n, time.Since(start).Round(time.Second))
	}
	storetest.SearchLatency(b, s)
}

// bulkCorpus adds storetest.BulkCorpus(n) and its stories in 50,000-row
// transactions.
func bulkCorpus(ctx context.Context, s *Store, n int) error {
	db := s.DB()
	var src int64
	if err := db.QueryRowContext(ctx, `INSERT INTO sources (name, country, language) VALUES ('Bulk', 'US', 'en') RETURNING id`).Scan(&src); err != nil {
		return err
	}
	next, stop := iter.Pull(storetest.BulkCorpus(n))
	defer stop()
	for done := false; !done; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO articles (source_id, url, guid, title, text, published, fetched, language, story_id)
VALUES (?, ?, ?, ?, ?, ?, ?, 'en', ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for range 50_000 {
			a, ok := next()
			if done = !ok; done {
				break
			}
			if _, err := st.ExecContext(ctx, src, a.URL, a.GUID, a.Title, a.Text, a.Time, a.Time, a.Story); err != nil {
				tx.Rollback()
				return err
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	_, err := db.ExecContext(ctx, strings.Replace(storetest.BulkStories, "$1", "?", 1), src)
	return err
}
