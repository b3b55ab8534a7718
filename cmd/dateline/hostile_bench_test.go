package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/cmd/dateline/testsite"
	"github.com/dateline-news/dateline/internal/ingest"
)

// hostilePublisher serves, on one loopback server, the worst a publisher can
// send under the ingest caps (as internal/ingest's BenchmarkHostileIngest):
// 8 feeds just under 10 MB of item text, a feed of 10,000 items, 4 gzip
// bombs, and a feed whose items link to 5 MB HTML pages and 5 MB PDFs. The
// items of the big feeds link to small local pages, so nothing leaves the
// machine. It returns the feed URLs.
func hostilePublisher(tb testing.TB) []string {
	tb.Helper()
	const bigFeeds, bombs, pageItems = 8, 4, 8
	desc := strings.Repeat("Words of a long description that fills the feed. ", 20) // ~1 KB
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(bytes.Repeat([]byte(" "), 64<<20))
	zw.Close()
	bomb := zipped.Bytes()
	hugePage := []byte("<html><body><article>" + strings.Repeat("<p>"+desc+"</p>", (ingest.MaxPageBytes-100)/(len(desc)+7)) + "</article></body></html>")
	binary := bytes.Repeat([]byte("%PDF-1.7\x00\x01\x02\xff"), ingest.MaxPageBytes/13)

	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /big/{n}", func(w http.ResponseWriter, r *http.Request) {
		// Written as it is made: the publisher holds no 10 MB copies.
		n := r.PathValue("n")
		written, _ := io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
		for i := 0; written < ingest.MaxFeedBytes-4096; i++ {
			k, err := fmt.Fprintf(w, "<item><title>Item %d</title><link>%s/m/%s/%d</link><guid>%s-%d</guid><description>%s</description></item>", i, srv.URL, n, i, n, i, desc)
			if err != nil {
				return
			}
			written += k
		}
		io.WriteString(w, `</channel></rss>`)
	})
	mux.HandleFunc("GET /many", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>`)
		for i := range 10_000 {
			fmt.Fprintf(w, "<item><title>Item %d</title><link>%s/m/many/%d</link><guid>m%d</guid><description>Item %d.</description></item>", i, srv.URL, i, i, i)
		}
		io.WriteString(w, `</channel></rss>`)
	})
	mux.HandleFunc("GET /m/{feed}/{n}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<html><head><title>Item %[1]s</title></head><body><article><h1>Item %[1]s</h1><p>%[2]s</p><p>%[2]s</p></article></body></html>", r.PathValue("n"), desc)
	})
	mux.HandleFunc("GET /bomb/{n}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
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
	tb.Cleanup(srv.Close)
	urls := []string{srv.URL + "/many", srv.URL + "/pages"}
	for i := range bigFeeds {
		urls = append(urls, fmt.Sprintf("%s/big/%d", srv.URL, i))
	}
	for i := range bombs {
		urls = append(urls, fmt.Sprintf("%s/bomb/%d", srv.URL, i))
	}
	return urls
}

// peakRSS reads a live process's peak resident set size (VmHWM), in bytes.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// BenchmarkPagesDuringHostileIngest runs the real `dateline serve` binary on
// a SQLite database that already holds a small edition (20 outlets × 5
// articles and a wire story, clustered), subscribes it to the hostile
// publisher above and restarts it, so its first round polls only the 14
// hostile feeds at once. While that round runs, 4 clients request the front
// page, a story page, an article page, /sources and the stories and
// articles API, one after another. It reports their latency (p50, p99,
// max, all pages together; the max of each page), the requests made, those not answered 200, the
// round's length and the process's peak RSS (VmHWM: the whole process,
// web server and poller). Needs /proc (Linux). Run with -benchtime 1x.
func BenchmarkPagesDuringHostileIngest(b *testing.B) {
	bin := buildDateline(b)
	for b.Loop() {
		b.StopTimer()
		dsn := filepath.Join(b.TempDir(), "dateline.db")
		site := testsite.New(20, 5, 0)
		siteURL := serveSite(b, site)
		importSite(b, dsn, siteURL)
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			b.Fatal(err)
		}
		want := site.Published()
		first := startServe(b, bin, dsn)
		deadline := time.Now().Add(5 * time.Minute)
		for {
			n, c, _ := stored(db)
			if n == want && c == want {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("edition not ready: %d of %d articles, %d clustered", n, want, c)
			}
			time.Sleep(100 * time.Millisecond)
		}
		first.cmd.Process.Signal(os.Interrupt)
		first.cmd.Wait()

		// Only the hostile feeds are due in the measured round: the
		// edition's feeds are moved past it (they may ask to be polled
		// again soon).
		if _, err := db.Exec(`UPDATE feeds SET next_poll = ?`, time.Now().Add(time.Hour).UnixMicro()); err != nil {
			b.Fatal(err)
		}
		hostile := hostilePublisher(b)
		var out strings.Builder
		if err := run(context.Background(), append([]string{"feeds", "add", "--database", dsn, "--check=false"}, hostile...), nil, &out, io.Discard); err != nil {
			b.Fatalf("feeds add: %v (%s)", err, out.String())
		}
		var story, article int64
		if err := db.QueryRow(`SELECT id FROM stories WHERE merged_into = 0 ORDER BY articles DESC, id LIMIT 1`).Scan(&story); err != nil {
			b.Fatal(err)
		}
		if err := db.QueryRow(`SELECT id FROM articles ORDER BY id LIMIT 1`).Scan(&article); err != nil {
			b.Fatal(err)
		}

		b.StartTimer()
		start := time.Now()
		srv := startServe(b, bin, dsn)
		paths := []string{"/", fmt.Sprintf("/story/%d", story), fmt.Sprintf("/article/%d", article), "/sources", "/api/v1/stories", "/api/v1/articles?limit=50"}
		names := []string{"front", "story", "article", "sources", "apistories", "apiarticles"}
		slowest := make([]time.Duration, len(paths))
		for {
			code, _ := getQuiet(srv.base() + "/healthz")
			if code == 200 {
				break
			}
			if time.Since(start) > time.Minute {
				b.Fatal("serve never answered")
			}
			time.Sleep(10 * time.Millisecond)
		}
		var (
			mu        sync.Mutex
			latencies []time.Duration
			failed    int
			wg        sync.WaitGroup
			done      = make(chan struct{})
		)
		for c := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := c; ; i++ {
					select {
					case <-done:
						return
					default:
					}
					t0 := time.Now()
					resp, err := http.Get(srv.base() + paths[i%len(paths)])
					code := 0
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						code = resp.StatusCode
					}
					d := time.Since(t0)
					mu.Lock()
					latencies = append(latencies, d)
					slowest[i%len(paths)] = max(slowest[i%len(paths)], d)
					if code != 200 {
						failed++
					}
					mu.Unlock()
				}
			}()
		}
		// The round is over when the process logs it; its polls are done then.
		for {
			if f, _ := srv.polled(); f > 0 {
				break
			}
			if time.Since(start) > 10*time.Minute {
				b.Fatalf("hostile round not over after 10 minutes; log:\n%s", srv.logs.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		round := time.Since(start)
		close(done)
		wg.Wait()
		b.StopTimer()
		rss, err := peakRSS(srv.cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		// Feeds with more than a poll's worth of new items come back after
		// feed.MinInterval, within the same round when it lasts longer.
		polledFeeds, _ := srv.polled()
		if polledFeeds < len(hostile) {
			b.Fatalf("the round polled %d feeds, want at least the %d hostile ones; log:\n%s", polledFeeds, len(hostile), srv.logs.String())
		}
		if n := count(db, `SELECT COUNT(*) FROM feeds WHERE last_error <> ''`); n != 4 {
			b.Fatalf("%d feeds failing, want the 4 bombs", n)
		}
		srv.cmd.Process.Signal(os.Interrupt)
		srv.cmd.Wait()
		db.Close()

		slices.Sort(latencies)
		at := func(q float64) float64 {
			return latencies[min(len(latencies)-1, int(q*float64(len(latencies))))].Seconds() * 1000
		}
		b.ReportMetric(at(0.50), "p50-ms")
		b.ReportMetric(at(0.99), "p99-ms")
		b.ReportMetric(latencies[len(latencies)-1].Seconds()*1000, "max-ms")
		for i, name := range names {
			b.ReportMetric(slowest[i].Seconds()*1000, "max-ms-"+name)
		}
		b.ReportMetric(float64(len(latencies)), "requests")
		b.ReportMetric(float64(failed), "non200")
		b.ReportMetric(round.Seconds(), "round-s")
		b.ReportMetric(float64(polledFeeds), "polls")
		b.ReportMetric(float64(rss)/(1<<20), "peakRSS-MiB")
		b.StartTimer()
	}
}
