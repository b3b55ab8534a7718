package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// BenchmarkHostileIngest polls, at once, the worst a publisher can serve
// under the caps: 8 feeds just under 10 MB of item text, a feed of 10,000
// items, 4 gzip bombs, and items whose pages are 5 MB of HTML or binary.
// It reports the peak of the Go runtime's total mapped memory
// (memory/classes/total, sampled every 5 ms) and how long the round took.
// Run with -benchtime=1x.
func BenchmarkHostileIngest(b *testing.B) {
	const bigFeeds, bombs, pageItems = 8, 4, 8
	desc := strings.Repeat("Words of a long description that fills the feed. ", 20) // ~1 KB
	var big bytes.Buffer
	big.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
	for i := 0; big.Len() < MaxFeedBytes-4096; i++ {
		fmt.Fprintf(&big, "<item><title>Item %d</title><link>https://big.example/%%d/%d</link><guid>%%d-%d</guid><description>%s</description></item>", i, i, i, desc)
	}
	big.WriteString(`</channel></rss>`)
	bigTmpl := big.String()
	var many strings.Builder
	many.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>`)
	for i := range 10_000 {
		fmt.Fprintf(&many, "<item><title>Item %d</title><link>https://many.example/a/%d</link><guid>m%d</guid><description>Item %d.</description></item>", i, i, i, i)
	}
	many.WriteString(`</channel></rss>`)
	bomb := gzipped(b, bytes.Repeat([]byte(" "), 64<<20))
	hugePage := []byte("<html><body><article>" + strings.Repeat("<p>"+desc+"</p>", (MaxPageBytes-100)/(len(desc)+7)) + "</article></body></html>")
	binary := bytes.Repeat([]byte("%PDF-1.7\x00\x01\x02\xff"), MaxPageBytes/13)

	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /big/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		w.Write([]byte(strings.ReplaceAll(bigTmpl, "%d", n)))
	})
	mux.HandleFunc("GET /many", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(many.String())) })
	mux.HandleFunc("GET /bomb/{n}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("GET /pages", func(w http.ResponseWriter, r *http.Request) {
		var items strings.Builder
		for i := range pageItems {
			fmt.Fprintf(&items, "<item><title>Page %d</title><link>%s/page/%d</link><guid>p%d</guid><description>Feed text.</description></item>", i, srv.URL, i, i)
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Pages</title>%s</channel></rss>`, items.String())
	})
	mux.HandleFunc("GET /page/{n}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n")[0]%2 == 0 {
			w.Header().Set("Content-Type", "text/html")
			w.Write(hugePage)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(binary)
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		src, err := st.UpsertSource(ctx, model.Source{Name: "Hostile"})
		if err != nil {
			b.Fatal(err)
		}
		urls := []string{srv.URL + "/many", srv.URL + "/pages"}
		for i := range bigFeeds {
			urls = append(urls, fmt.Sprintf("%s/big/%d", srv.URL, i))
		}
		for i := range bombs {
			urls = append(urls, fmt.Sprintf("%s/bomb/%d", srv.URL, i))
		}
		for _, u := range urls {
			if _, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: u}); err != nil {
				b.Fatal(err)
			}
		}
		opts := fetch.DefaultOptions()
		opts.AllowPrivate = true
		opts.PerHostInterval = -1
		p := NewPoller(st, fetch.New(opts), Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		runtime.GC()
		stop := samplePeak()
		b.StartTimer()
		start := time.Now()
		if _, err := p.PollDue(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(stop())/(1<<20), "peak-MiB")
		b.ReportMetric(elapsed.Seconds(), "round-s")
		failing := 0
		feeds, err := st.Feeds(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range feeds {
			if f.LastError != "" {
				failing++
			}
		}
		if failing != bombs {
			b.Fatalf("%d feeds failing, want the %d bombs", failing, bombs)
		}
		st.Close()
		b.StartTimer()
	}
}

// samplePeak samples the runtime's total mapped memory until stop is
// called, which returns the peak in bytes.
func samplePeak() func() uint64 {
	var (
		peak uint64
		mu   sync.Mutex
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	read := func() {
		metrics.Read(sample)
		mu.Lock()
		peak = max(peak, sample[0].Value.Uint64())
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		read()
		return peak
	}
}
