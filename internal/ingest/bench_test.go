package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/extract"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// Benchmark shape from the core issue: 200 feeds of 50 items, every item a
// real article page (the extraction benchmark's pages, served in rotation).
const (
	benchFeeds = 200
	benchItems = 50
)

// benchPages loads the extraction benchmark's HTML pages from ../shared.
func benchPages(b *testing.B) [][]byte {
	b.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data", "article-extraction-benchmark"))
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		b.Skipf("benchmark pages not available: %v", err)
	}
	var truth map[string]json.RawMessage
	if err := json.Unmarshal(raw, &truth); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var pages [][]byte
	for _, id := range ids {
		f, err := os.Open(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
	}
	return pages
}

func benchSite(pages [][]byte) *httptest.Server {
	mux := http.NewServeMux()
	var srv *httptest.Server
	pub := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	mux.HandleFunc("GET /feed/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		var items bytes.Buffer
		for i := range benchItems {
			fmt.Fprintf(&items, "<item><title>Item %s-%d</title><link>%s/p/%s/%d</link><guid>%s-%d</guid><pubDate>%s</pubDate></item>",
				n, i, srv.URL, n, i, n, i, pub.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z))
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title>%s</channel></rss>`, n, items.Bytes())
	})
	var next atomic.Int64
	mux.HandleFunc("GET /p/{n}/{i}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(pages[int(next.Add(1))%len(pages)])
	})
	srv = httptest.NewServer(mux)
	return srv
}

// BenchmarkIngest measures the pipeline end to end: poll 200 feeds, fetch
// and extract 10,000 pages, store them in SQLite. Run with -benchtime=1x.
func BenchmarkIngest(b *testing.B) {
	pages := benchPages(b)
	srv := benchSite(pages)
	defer srv.Close()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		src, err := st.UpsertSource(ctx, model.Source{Name: "Bench", Country: "US", Language: "en"})
		if err != nil {
			b.Fatal(err)
		}
		for n := range benchFeeds {
			if _, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: fmt.Sprintf("%s/feed/%d", srv.URL, n)}); err != nil {
				b.Fatal(err)
			}
		}
		opts := fetch.DefaultOptions()
		opts.AllowPrivate = true
		opts.PerHostInterval = -1
		po := DefaultOptions()
		po.Logger = nil
		po.PageWorkers = 2 * runtime.GOMAXPROCS(0)
		p := NewPoller(st, fetch.New(opts), po)
		b.StartTimer()
		start := time.Now()
		for {
			n, err := p.PollDue(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		count := countArticles(b, st)
		if count != benchFeeds*benchItems {
			b.Fatalf("stored %d articles, want %d", count, benchFeeds*benchItems)
		}
		b.ReportMetric(float64(count)/elapsed.Seconds(), "articles/s")
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkExtractOnly is the ceiling BenchmarkIngest is compared with: the
// same 10,000 pages extracted on all cores with no fetching or storage.
func BenchmarkExtractOnly(b *testing.B) {
	pages := benchPages(b)
	for b.Loop() {
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1))
					if i > benchFeeds*benchItems {
						return
					}
					if _, err := extract.Extract(pages[i%len(pages)], "https://example.com/a"); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(benchFeeds*benchItems)/time.Since(start).Seconds(), "pages/s")
	}
}

func countArticles(tb testing.TB, st store.Store) int {
	tb.Helper()
	n, cursor := 0, ""
	for {
		page, next, err := st.Articles(context.Background(), store.ArticleQuery{Limit: 200, Cursor: cursor})
		if err != nil {
			tb.Fatal(err)
		}
		n += len(page)
		if next == "" {
			return n
		}
		cursor = next
	}
}
