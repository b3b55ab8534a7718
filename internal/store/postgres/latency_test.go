package postgres

import (
	"context"
	"os"
	"testing"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearchLatency reports p50/p99 of Search on an existing, filled
// database named by DATELINE_BENCH_SEARCH_DSN (e.g. a generated corpus of
// 1,000,000 articles; see docs/BENCHMARKS.md for how it was made), so the
// size target can be checked without rebuilding the corpus on every run.
func BenchmarkSearchLatency(b *testing.B) {
	dsn := os.Getenv("DATELINE_BENCH_SEARCH_DSN")
	if dsn == "" {
		b.Skip("DATELINE_BENCH_SEARCH_DSN not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.SearchLatency(b, s)
}
