package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store/sqlstore"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearch searches a synthetic corpus of $DATELINE_BENCH_ARTICLES
// (default 20000) articles in a fresh database; building it is not timed.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, storetest.FreshPostgres(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := storetest.BenchArticles()
	start := time.Now()
	if err := storetest.Corpus(ctx, s, n, 1, time.Now()); err != nil {
		b.Fatal(err)
	}
	if _, err := s.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("corpus of %d articles built in %v", n, time.Since(start).Round(time.Millisecond))
	b.Run("newest2000", func(b *testing.B) { storetest.BenchSearch(b, s) })
	// The same queries ranking every match, to show what the bound saves.
	defer func(n int) { maxRanked = n }(maxRanked)
	maxRanked = 1 << 30
	b.Run("all", func(b *testing.B) { storetest.BenchSearch(b, s) })
}

// BenchmarkStoryListing: the front page's listing, one event per storyline
// or not, over $DATELINE_BENCH_ARTICLES stories.
func BenchmarkStoryListing(b *testing.B) {
	s, err := Open(context.Background(), storetest.FreshPostgres(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchStoryListing(b, s, s.W, sqlstore.Numbered, storetest.BenchArticles(), "ANALYZE stories")
}
