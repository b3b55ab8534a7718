package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

const goodRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
<item><title>Harbour bridge reopens</title><link>%[1]s/page/bridge?utm_source=rss</link><guid>b1</guid><pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate>
<description>&lt;p&gt;The harbour bridge reopened to lorries on Friday.&lt;/p&gt;</description></item>
</channel></rss>`

func newStore(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func addFeed(t *testing.T, st store.Store, url string) model.Feed {
	t.Helper()
	ctx := context.Background()
	src, err := st.UpsertSource(ctx, model.Source{Name: "Gazette", Country: "IE", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func testPoller(st store.Store, timeout time.Duration) *Poller {
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	opts.ReadTimeout = timeout
	opts.ConnectTimeout = timeout
	po := DefaultOptions()
	return NewPoller(st, fetch.New(opts), po)
}

func feedState(t *testing.T, st store.Store, url string) model.Feed {
	t.Helper()
	all, err := st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if f.URL == url {
			return f
		}
	}
	t.Fatalf("feed %s not stored", url)
	return model.Feed{}
}

// TestBadFeeds: every kind of broken or hostile feed marks only itself as
// failing, with a readable reason, and leaves the good feed and stored
// articles alone. Only the hanging cases are bounded by the client's
// timeout, and their servers never answer, so nothing here depends on how
// fast the machine is.
func TestBadFeeds(t *testing.T) {
	big := strings.Repeat("<!-- padding -->", (MaxFeedBytes/16)+10)
	bomb := gzipped(t, append([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>`), bytes.Repeat([]byte(" "), MaxFeedBytes+1)...))
	const hang = 300 * time.Millisecond
	cases := []struct {
		name    string
		handler http.HandlerFunc
		reason  string
		timeout time.Duration // the client's; 0: a minute, never reached
		retired bool
	}{
		{name: "malformed", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x<item>`)
		}, reason: "malformed"},
		{name: "empty", handler: func(w http.ResponseWriter, r *http.Request) {}, reason: "empty"},
		{name: "html", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>`)
		}, reason: "html"},
		{name: "binary", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x02"))
		}, reason: "not a feed"},
		{name: "oversized declared", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(MaxFeedBytes+1))
			w.WriteHeader(http.StatusOK)
		}, reason: "large"},
		{name: "oversized streamed", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>`+big+`</channel></rss>`)
		}, reason: "large"},
		{name: "gzip bomb", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(bomb)
		}, reason: "large"},
		{name: "hanging before headers", handler: func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}, reason: "timed out", timeout: hang},
		{name: "hanging mid-body", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, reason: "timed out", timeout: hang},
		{name: "redirect loop", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}, reason: "redirect"},
		{name: "redirect to another scheme", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		}, reason: "scheme"},
		{name: "absurd headers", handler: func(w http.ResponseWriter, r *http.Request) {
			for i := range 3 {
				w.Header().Set(fmt.Sprintf("X-Junk-%d", i), strings.Repeat("a", fetch.MaxHeaderBytes/2))
			}
		}, reason: "header"},
		{name: "404", handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, reason: "404"},
		{name: "500", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, reason: "500"},
		{name: "410 gone", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) },
			reason: "retired", retired: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mux := http.NewServeMux()
			var srv *httptest.Server
			mux.HandleFunc("/bad.xml", tc.handler)
			mux.HandleFunc("/good.xml", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, goodRSS, srv.URL) })
			mux.HandleFunc("/page/bridge", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `<html><body><article><h1>Harbour bridge reopens</h1><p>The harbour bridge reopened to lorries on Friday after eleven weeks of repairs to its corroded cables, the council said.</p><p>Residents had asked for a ferry while the work went on.</p></article></body></html>`)
			})
			srv = httptest.NewServer(mux)
			defer srv.Close()
			st := newStore(t)
			good := addFeed(t, st, srv.URL+"/good.xml")
			bad := addFeed(t, st, srv.URL+"/bad.xml")
			timeout := tc.timeout
			if timeout == 0 {
				timeout = time.Minute
			}
			ctx := context.Background()

			// The good feed never meets the short timeout of the hanging cases.
			if n, err := testPoller(st, time.Minute).PollFeed(ctx, good); err != nil || n != 1 {
				t.Fatalf("good feed: %d articles, %v", n, err)
			}
			if _, err := testPoller(st, timeout).PollFeed(ctx, bad); err == nil {
				t.Fatal("bad feed polled without error")
			}
			bf := feedState(t, st, bad.URL)
			if bf.LastError == "" || bf.Failures != 1 {
				t.Fatalf("bad feed not marked failing: %+v", bf)
			}
			if !strings.Contains(strings.ToLower(bf.LastError), tc.reason) {
				t.Errorf("reason %q does not mention %q", bf.LastError, tc.reason)
			}
			if !bf.NextPoll.After(time.Now()) {
				t.Errorf("failing feed not backed off: next poll %v", bf.NextPoll)
			}
			if got := !bf.Retired.IsZero(); got != tc.retired {
				t.Errorf("retired = %v, want %v", got, tc.retired)
			}
			if gf := feedState(t, st, good.URL); gf.LastError != "" || gf.Articles != 1 {
				t.Errorf("good feed affected: %+v", gf)
			}
		})
	}
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestConditionalGet: a 304 stores nothing new and keeps the feed healthy;
// a re-poll of an unchanged feed never duplicates.
func TestConditionalGet(t *testing.T) {
	var polls, notModified atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r) // page fetch fails: the feed's own content stands
			return
		}
		polls.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprintf(w, goodRSS, srv.URL)
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	p := testPoller(st, time.Second)
	ctx := context.Background()
	if n, err := p.PollFeed(ctx, f); err != nil || n != 1 {
		t.Fatalf("first poll: %d, %v", n, err)
	}
	f = feedState(t, st, f.URL)
	if f.ETag != `"v1"` {
		t.Fatalf("ETag not stored: %+v", f)
	}
	if n, err := p.PollFeed(ctx, f); err != nil || n != 0 {
		t.Fatalf("second poll: %d, %v", n, err)
	}
	if notModified.Load() != 1 {
		t.Fatalf("conditional GET not sent: %d polls, %d not-modified", polls.Load(), notModified.Load())
	}
	// Without the ETag the feed is fetched whole, yet nothing is duplicated.
	f.ETag = ""
	if n, err := p.PollFeed(ctx, f); err != nil || n != 0 {
		t.Fatalf("third poll: %d, %v", n, err)
	}
	arts, _, err := st.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(arts) != 1 {
		t.Fatalf("articles: %d, %v", len(arts), err)
	}
	a := arts[0]
	if strings.Contains(a.URL, "utm_") {
		t.Errorf("URL kept tracking parameter: %s", a.URL)
	}
	if !strings.Contains(a.Text, "reopened to lorries") || a.Source.Name != "Gazette" {
		t.Errorf("feed content fallback: %+v", a)
	}
}

// TestGuardRefusesLoopbackByDefault: without --allow-private-networks a feed
// on 127.0.0.1 fails with a clear reason and nothing is fetched.
func TestGuardRefusesLoopbackByDefault(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	p := NewPoller(st, fetch.New(fetch.DefaultOptions()), DefaultOptions())
	if _, err := p.PollFeed(context.Background(), f); err == nil {
		t.Fatal("loopback feed fetched")
	}
	if hits.Load() != 0 {
		t.Fatal("the guard let a request through")
	}
	if got := feedState(t, st, f.URL).LastError; !strings.Contains(got, "127.0.0.1") {
		t.Errorf("reason %q does not name the address", got)
	}
}

// TestRobotsDisallowedPage: an article whose page robots.txt disallows is
// stored from the feed's own text without the page ever being requested,
// while an allowed page on the same site is fetched and extracted, and the
// feed itself is fetched although robots.txt disallows its path too.
func TestRobotsDisallowedPage(t *testing.T) {
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>
<item><title>Harbour bridge reopens</title><link>%[1]s/page/bridge</link><guid>b1</guid>
<description>&lt;p&gt;Feed teaser about the bridge.&lt;/p&gt;</description></item>
<item><title>Council budget leaked</title><link>%[1]s/members/budget</link><guid>b2</guid>
<description>&lt;p&gt;The council's draft budget cuts library hours, the feed says.&lt;/p&gt;</description></item>
</channel></rss>`
	var (
		mu   sync.Mutex
		reqs []string
		srv  *httptest.Server
	)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /members/\nDisallow: /feeds/\n")
		case "/feeds/main.xml":
			fmt.Fprintf(w, rss, srv.URL)
		case "/page/bridge":
			fmt.Fprint(w, `<html><body><article><h1>Harbour bridge reopens</h1><p>The harbour bridge reopened to lorries on Friday after eleven weeks of repairs to its corroded cables, the council said.</p><p>Residents had asked for a ferry while the work went on.</p></article></body></html>`)
		default:
			fmt.Fprint(w, `<html><body><article><p>Members-only page text that must never be fetched by a polite crawler, however long it is.</p></article></body></html>`)
		}
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feeds/main.xml")
	var logs bytes.Buffer
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	po := DefaultOptions()
	po.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := NewPoller(st, fetch.New(opts), po)
	ctx := context.Background()

	if n, err := p.PollFeed(ctx, f); err != nil || n != 2 {
		t.Fatalf("poll: %d articles, %v", n, err)
	}
	arts, _, err := st.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(arts) != 2 {
		t.Fatalf("articles: %d, %v", len(arts), err)
	}
	byGUID := map[string]model.Article{}
	for _, a := range arts {
		byGUID[a.GUID] = a
	}
	if a := byGUID["b2"]; !strings.Contains(a.Text, "draft budget cuts library hours") || strings.Contains(a.Text, "Members-only") {
		t.Errorf("disallowed page: article text %q, want the feed's", a.Text)
	}
	if a := byGUID["b1"]; !strings.Contains(a.Text, "eleven weeks of repairs") {
		t.Errorf("allowed page: article text %q, want the page's", a.Text)
	}
	mu.Lock()
	defer mu.Unlock()
	count := map[string]int{}
	for _, r := range reqs {
		count[r]++
	}
	if count["/members/budget"] != 0 {
		t.Errorf("disallowed page requested %d times", count["/members/budget"])
	}
	if count["/robots.txt"] != 1 || count["/page/bridge"] != 1 || count["/feeds/main.xml"] != 1 {
		t.Errorf("requests: %v, want robots.txt, the feed and the allowed page once each", reqs)
	}
	if !strings.Contains(logs.String(), "robots.txt") || !strings.Contains(logs.String(), "/members/budget") {
		t.Errorf("no debug line naming robots.txt and the page:\n%s", logs.String())
	}
}
