package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearch searches a synthetic corpus of $DATELINE_BENCH_ARTICLES
// (default 20000) articles; building it is not timed.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := storetest.BenchArticles()
	start := time.Now()
	if err := storetest.Corpus(ctx, s, n, 1, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.Logf("corpus of %d articles built in %v", n, time.Since(start).Round(time.Millisecond))
	storetest.BenchSearch(b, s)
}
