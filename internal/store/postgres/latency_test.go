package postgres

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
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
	for _, q := range []string{"government", "minister election", "election", "parliament", "volcano", "nosuchword"} {
		b.Run(strings.ReplaceAll(q, " ", "+"), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if _, err := s.Search(ctx, q, 20); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
