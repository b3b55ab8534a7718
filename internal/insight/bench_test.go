package insight

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benchStory builds a 20-article story from the two seed articles: each
// outlet's version drops and reorders paragraphs, so the articles overlap
// heavily without being identical, as rewrites of one wire story do.
func benchStory(b *testing.B) []Article {
	nt, nato := seed(b, "seed_nato_plan")
	st, sell := seed(b, "seed_selling_weapons")
	var arts []Article
	for i := 0; i < 20; i++ {
		title, body := nt, nato
		if i%2 == 1 {
			title, body = st, sell
		}
		paras := strings.Split(strings.TrimSpace(body), "\n")
		drop := i % len(paras)
		var kept []string
		for j, p := range paras {
			if j != drop {
				kept = append(kept, p)
			}
		}
		r := (i / 2) % len(kept)
		kept = append(kept[r:], kept[:r]...)
		arts = append(arts, Article{
			ID: int64(i + 1), Title: title, Text: strings.Join(kept, "\n"),
			Outlet:    fmt.Sprintf("Outlet %d", i+1),
			Published: time.Date(2025, 7, 11, i, 0, 0, 0, time.UTC),
		})
	}
	return arts
}

func BenchmarkStory(b *testing.B) {
	arts := benchStory(b)
	size := 0
	for _, a := range arts {
		size += len(a.Text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := mustStory(b, arts)
		if len(in.Summary) < 3 {
			b.Fatalf("summary of %d sentences", len(in.Summary))
		}
	}
}

// gvaStories reads the clustering dev set as stories (one per gold
// cluster), skipping when the data is absent (failing under CI=true).
func gvaStories(b *testing.B) [][]Article {
	b.Helper()
	path := filepath.Join("..", "..", "..", "shared", "data", "clustering", "gva-dev.jsonl")
	f, err := os.Open(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatalf("evaluation data missing: %v", err)
		}
		b.Skipf("evaluation data absent: %v", err)
	}
	defer f.Close()
	byCluster := map[string]int{}
	var stories [][]Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		var d struct {
			Cluster, Title, Text, Published, Source string
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			b.Fatal(err)
		}
		n++
		pub, _ := time.Parse(time.RFC3339, d.Published)
		i, ok := byCluster[d.Cluster]
		if !ok {
			i = len(stories)
			byCluster[d.Cluster] = i
			stories = append(stories, nil)
		}
		stories[i] = append(stories[i], Article{ID: int64(n), Title: d.Title, Text: d.Text, Outlet: d.Source, Published: pub})
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	return stories
}

// BenchmarkStoryGVA computes the insight of every story of the clustering
// dev set (typical local-news stories of one to eight articles) and reports
// stories per second and the slowest story, in wall time and in the CPU
// time of the benchmark's thread (what one core spends, whatever the load).
func BenchmarkStoryGVA(b *testing.B) {
	stories := gvaStories(b)
	ctx := context.Background()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var slowest, slowestCPU, cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, arts := range stories {
			t0, c0 := time.Now(), threadCPU()
			if _, err := Story(ctx, arts); err != nil {
				b.Fatal(err)
			}
			c := threadCPU() - c0
			cpu += c
			slowest = max(slowest, time.Since(t0))
			slowestCPU = max(slowestCPU, c)
		}
	}
	n := float64(b.N * len(stories))
	b.ReportMetric(n/b.Elapsed().Seconds(), "stories/s")
	b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-ms")
	if cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "stories/cpu-s")
		b.ReportMetric(float64(slowestCPU.Microseconds())/1000, "slowest-cpu-ms")
	}
}

// BenchmarkStoryHostile is one story of a 1.6 MB article of 12,000 short
// sentences drawn from 35 words (the reported denial of service).
func BenchmarkStoryHostile(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 1600<<10 {
		sb.WriteString(hostileText(1000, uint64(sb.Len())))
	}
	arts := []Article{{ID: 1, Text: sb.String(), Outlet: "A"}}
	b.SetBytes(int64(sb.Len()))
	runCPU(b, arts)
}

// runCPU runs Story b.N times on arts and reports the CPU milliseconds of
// one run as spent by the benchmark's thread.
func runCPU(b *testing.B, arts []Article) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	c0 := threadCPU()
	for i := 0; i < b.N; i++ {
		if _, err := Story(context.Background(), arts); err != nil {
			b.Fatal(err)
		}
	}
	if c := threadCPU() - c0; c > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkStoryWorst is the largest story the caps allow: 200 long
// articles (seed text repeated to 100 KB each), of which MaxStoryArticles
// are read, each clipped to its share of MaxStoryBytes.
func BenchmarkStoryWorst(b *testing.B) {
	_, nato := seed(b, "seed_nato_plan")
	_, sell := seed(b, "seed_selling_weapons")
	long := strings.Repeat(nato+"\n"+sell+"\n", 100<<10/(len(nato)+len(sell)))
	arts := make([]Article, 200)
	for i := range arts {
		arts[i] = Article{ID: int64(i + 1), Text: long, Outlet: fmt.Sprintf("Outlet %d", i)}
	}
	runCPU(b, arts)
}
