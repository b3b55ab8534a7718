package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
)

func TestHSTS(t *testing.T) {
	f := newFixture()
	for _, tc := range []struct {
		name       string
		trustProxy bool
		tls        bool
		proto      string
		want       bool
	}{
		{"plain http", false, false, "", false},
		{"direct TLS", false, true, "", true},
		{"proxy says https, trusted", true, false, "https", true},
		{"proxy chain, client used https", true, false, "HTTPS, http", true},
		{"proxy says http, trusted", true, false, "http", false},
		{"header not trusted", false, false, "https", false},
		{"trusted, no header", true, false, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := f.handler(Options{TrustProxy: tc.trustProxy})
			for _, path := range []string{"/", "/api/v1/stories", "/static/nothing-here"} {
				req := httptest.NewRequest("GET", path, nil)
				if tc.tls {
					req.TLS = &tls.ConnectionState{}
				}
				if tc.proto != "" {
					req.Header.Set("X-Forwarded-Proto", tc.proto)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				got := rec.Header().Get("Strict-Transport-Security")
				if (got != "") != tc.want || tc.want && got != "max-age=31536000" {
					t.Errorf("GET %s: Strict-Transport-Security %q, want it %v", path, got, tc.want)
				}
			}
		})
	}
}

func TestWebURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://img.example/a.jpg", "https://img.example/a.jpg"},
		{"http://img.example/a.jpg?x=1", "http://img.example/a.jpg?x=1"},
		{"HTTPS://IMG.example/a.jpg", "HTTPS://IMG.example/a.jpg"},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{" javascript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"data:image/png;base64,iVBORw0KGgo=", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"vbscript:msgbox", ""},
		{"//img.example/a.jpg", ""},
		{"/relative.jpg", ""},
		{"https:///nohost", ""},
		{"https://user:pw@img.example/a.jpg", ""},
		{"https://img.example/\x00a.jpg", ""},
		{"ftp://img.example/a.jpg", ""},
		{"", ""},
	} {
		if got := webURL(tc.in); got != tc.want {
			t.Errorf("webURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Whatever URLs the store holds, the API writes only http(s) ones.
func TestAPIWritesOnlyWebURLs(t *testing.T) {
	f := newFixture()
	evil := f.st.addSource(model.Source{Name: "Evil", Country: "US", Language: "en", HomeURL: "javascript:alert(1)"})
	story := f.st.addStory(model.Story{Headline: "Hostile", FirstSeen: f.now.Add(-time.Hour), Updated: f.now.Add(-time.Hour),
		Articles: 2, Outlets: 1, Countries: 1, Score: 50})
	a := f.st.addArticle(model.Article{SourceID: evil.ID, URL: "javascript:alert(document.cookie)", Title: "Hostile one",
		Published: f.now.Add(-time.Hour), StoryID: story.ID, Text: "hostile", Image: "javascript:alert(1)"})
	b := f.st.addArticle(model.Article{SourceID: evil.ID, URL: "https://evil.example/b", Title: "Hostile two",
		Published: f.now.Add(-time.Hour), StoryID: story.ID, Text: "hostile", Image: "data:image/svg+xml;base64,PHN2Zz4="})
	f.st.feeds = append(f.st.feeds, model.Feed{ID: 9, SourceID: evil.ID, URL: "data:text/plain,x", Source: evil})
	h := f.handler(Options{})
	for _, path := range []string{
		"/api/v1/articles?limit=200", "/api/v1/articles/" + itoa(a.ID), "/api/v1/articles/" + itoa(b.ID),
		"/api/v1/stories", "/api/v1/stories/" + itoa(story.ID), "/api/v1/sources", "/api/v1/search?q=hostile",
	} {
		rec := do(t, h, "GET", path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		body := strings.ToLower(rec.Body.String())
		for _, bad := range []string{"javascript:", "data:"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s writes a %s URL:\n%s", path, bad, rec.Body)
			}
		}
	}
	// Web URLs pass unchanged.
	rec := do(t, h, "GET", "/api/v1/articles/"+itoa(f.lone.ID), nil)
	if got := decode(t, rec); got["image"] != "http://insecure.example/a.jpg" || got["url"] != "https://bbc.example/budget" {
		t.Errorf("web URLs changed: image %v, url %v", got["image"], got["url"])
	}
}

// A static path the file system cannot name is a plain 404, not a logged
// server error.
func TestStaticBadNames(t *testing.T) {
	var logs bytes.Buffer
	h := newFixture().handler(Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, path := range []string{
		"/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/static/%c0%ae", "/static/%ff%fe", "/static/..%2f..%2fgo.mod",
		"/static/a%00b", "/static/a%5cb", "/static/missing.css",
	} {
		rec := do(t, h, "GET", path, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("bad static names logged errors:\n%s", logs.String())
	}
	if rec := do(t, h, "GET", "/static/style.css", nil); rec.Code != http.StatusOK {
		t.Errorf("GET /static/style.css: %d", rec.Code)
	}
}

// Cursors with non-finite or impossible keys are refused with a clear
// message, against the real store (its decoder is what reads them).
func TestBadCursorsRefused(t *testing.T) {
	h := New(openSQLite(t), Options{})
	cursor := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct{ path, cursor string }{
		{"/api/v1/stories", cursor("NaN:1")},
		{"/api/v1/stories", cursor("Inf:1")},
		{"/api/v1/stories", cursor("-Inf:1")},
		{"/api/v1/stories", cursor("+infinity:1")},
		{"/api/v1/stories", cursor("1e999:1")},
		{"/api/v1/stories", cursor("2.5:0")},
		{"/api/v1/stories", cursor("2.5:-3")},
		{"/api/v1/articles", cursor("NaN:1")},
		{"/api/v1/articles", cursor("1700000000:0")},
		{"/api/v1/articles", "not-base64!"},
		{"/", cursor("NaN:1")},
		{"/", cursor("Inf:1")},
	} {
		rec := do(t, h, "GET", tc.path+"?cursor="+tc.cursor, nil)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s cursor %q: %d, want 400", tc.path, tc.cursor, rec.Code)
			continue
		}
		want := "That page link is not valid."
		if strings.HasPrefix(tc.path, "/api/") {
			want = "invalid cursor: pass next_cursor from an earlier response unchanged"
		}
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s cursor %q: body lacks %q:\n%s", tc.path, tc.cursor, want, rec.Body)
		}
	}
	// A good cursor still works.
	if rec := do(t, h, "GET", "/api/v1/stories?cursor="+cursor("2.5:7"), nil); rec.Code != http.StatusOK {
		t.Errorf("finite cursor: %d %s", rec.Code, rec.Body)
	}
}

// blockingSearch is a store whose searches wait for release, telling
// entered as each one starts.
type blockingSearch struct {
	*fakeStore
	entered chan struct{}
	release chan struct{}
}

func (b *blockingSearch) SearchStories(ctx context.Context, q string, limit int) ([]model.Story, error) {
	b.entered <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.fakeStore.SearchStories(ctx, q, limit)
}

// With the search gate full (every slot running, the queue full), another
// search is shed with 503 and Retry-After, while story pages, lookups and
// listings are still served: search cost is isolated. Barriers, not timing,
// say when the gate is full.
func TestSearchFloodDoesNotHoldStoryPages(t *testing.T) {
	f := newFixture()
	st := &blockingSearch{fakeStore: f.st, entered: make(chan struct{}), release: make(chan struct{})}
	s := newServer(st, Options{Now: func() time.Time { return f.now }, CacheTTL: -1})
	queued := make(chan struct{})
	s.searchGate.onQueue = func() { queued <- struct{}{} }
	h := s.handler()

	var wg sync.WaitGroup
	statuses := make(chan int, searchSlots()+searchQueue)
	search := func() {
		wg.Go(func() { statuses <- do(t, h, "GET", "/api/v1/search?q=storm", nil).Code })
	}
	for range searchSlots() {
		search()
		<-st.entered // running, holding a slot
	}
	for range searchQueue {
		search()
		<-queued // waiting for a slot
	}

	for _, path := range []string{"/api/v1/search?q=flood", "/search?q=flood"} {
		rec := do(t, h, "GET", path, nil)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != searchRetryAfter {
			t.Errorf("GET %s with the search gate full: %d, Retry-After %q; want 503 and %s",
				path, rec.Code, rec.Header().Get("Retry-After"), searchRetryAfter)
		}
	}
	for _, path := range []string{"/search", "/search?q=+", "/story/" + itoa(f.big.ID), "/api/v1/stories/" + itoa(f.big.ID), "/", "/article/" + itoa(f.orig.ID)} {
		// Served while every search slot and queue place is taken: these
		// requests use other gates (through the search gate they would be
		// shed with 503).
		if code := do(t, h, "GET", path, nil).Code; code != http.StatusOK {
			t.Errorf("GET %s during a search flood: %d", path, code)
		}
	}

	// Released, every admitted search completes.
	close(st.release)
	go func() {
		for range st.entered {
		}
	}()
	wg.Wait()
	close(statuses)
	for code := range statuses {
		if code != http.StatusOK {
			t.Errorf("admitted search: %d", code)
		}
	}
}
