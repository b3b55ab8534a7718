package extraction

import (
	"testing"

	"github.com/dateline-news/dateline/internal/extract"
)

// BenchmarkExtract runs the production extractor over all benchmark pages once
// per iteration, one page at a time, and reports pages per second of wall time
// and of CPU time (the latter is steadier on a shared machine). Run it on one
// core:
//
//	go test -run '^$' -bench Extract -benchtime 5x -cpu 1 ./internal/eval/extraction/
func BenchmarkExtract(b *testing.B) {
	docs, err := Load(benchmarkDir(b))
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, d := range docs {
		size += int64(len(d.HTML))
	}
	b.SetBytes(size)
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
