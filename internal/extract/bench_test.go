package extract_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dateline-news/dateline/internal/eval/extraction"
	"github.com/dateline-news/dateline/internal/extract"
)

// benchmarkDocs loads the shared article-extraction benchmark, found next to
// the repository root. Absent data skips, unless CI=true.
func benchmarkDocs(tb testing.TB) []extraction.Doc {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data", "article-extraction-benchmark")
	if _, err := os.Stat(filepath.Join(data, "ground-truth.json")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("benchmark data missing at %s (CI=true): %v", data, err)
		}
		tb.Skipf("benchmark data not found at %s", data)
	}
	docs, err := extraction.Load(data)
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// BenchmarkExtract extracts all benchmark pages once per iteration, one at a
// time, and reports pages per second of wall time and of CPU time (the latter
// is steadier on a shared machine). Run with -cpu 1 to measure one core:
//
//	go test -run '^$' -bench Extract -benchtime 5x -cpu 1 ./internal/extract/
func BenchmarkExtract(b *testing.B) {
	docs := benchmarkDocs(b)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.HTML))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := extract.Extract(d.HTML, d.URL); err != nil {
				b.Logf("%s: %v", d.ID, err)
			}
		}
	}
	pages := float64(b.N * len(docs))
	b.ReportMetric(pages/b.Elapsed().Seconds(), "pages/s")
	// Pages per CPU second: what one core would do if nothing else ran.
	if cpu1, ok := cpuTime(); ok && cpuOK && cpu1 > cpu0 {
		b.ReportMetric(pages/(cpu1-cpu0).Seconds(), "pages/cpu-s")
	}
}
