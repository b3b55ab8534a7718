package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

func (f *fixture) handler(opts Options) http.Handler {
	if opts.Now == nil {
		opts.Now = func() time.Time { return f.now }
	}
	return New(f.st, opts)
}

func do(t *testing.T, h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRoutes(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{SiteName: "Testline"})
	tests := []struct {
		name     string
		method   string
		path     string
		header   map[string]string
		status   int
		ctype    string
		want     []string
		notWant  []string
		location string
	}{
		{name: "front page", path: "/", status: 200, ctype: "text/html",
			want: []string{"<title>Testline</title>", `href="/story/1"`, "Storm floods the coast", "3 outlets · 3 countries",
				`<time datetime="2026-11-21T11:25:00Z" title="Sat 21 Nov 2026 11:25 UTC" data-rel>35 minutes ago</time>`,
				"AP, Yomiuri Shimbun, Le Monde",
				// the single-article story is shown as its article, with its outlet
				`href="/article/4"`, `<span class="outlet">BBC</span>`, "2 hours ago"},
			// publishers' image URLs never reach the reader (no image cache here)
			notWant: []string{"Storm nears", "<script>alert(1)", "insecure.example", "img.example"}},
		{name: "front page escapes titles", path: "/", status: 200, ctype: "text/html",
			want: []string{"Council approves &lt;script&gt;alert(1)&lt;/script&gt; budget"}},
		{name: "front page cursor", path: "/?cursor=o1", status: 200, ctype: "text/html",
			want: []string{"Council approves"}, notWant: []string{"Storm floods the coast"}},
		{name: "front page bad cursor", path: "/?cursor=zzz", status: 400, ctype: "text/html"},
		{name: "story", path: "/story/1", status: 200, ctype: "text/html",
			want: []string{"<h1>Storm floods the coast</h1>", "3 articles", "3 outlets", "3 countries",
				"First seen <time", `<h3><a href="/source/1">AP</a> <span class="cc">US</span></h3>`,
				"also carried by Yomiuri Shimbun", "<small class=\"reason\">first report</small>",
				"Le Monde", "Tempête sur la côte", "No comments yet", `href="/story/1/feed.xml"`},
			// the copy is listed under the original, not as its own outlet group
			notWant: []string{"<h3>Yomiuri Shimbun"}},
		{name: "merged story redirects", path: "/story/3", status: 301, location: "/story/1"},
		{name: "missing story", path: "/story/99", status: 404, ctype: "text/html"},
		{name: "non-numeric story", path: "/story/abc", status: 404, ctype: "text/html"},
		{name: "article", path: "/article/1", status: 200, ctype: "text/html",
			want: []string{"<h1>Storm floods coastal towns</h1>", "<p>Rain <em>fell</em>.</p>", "Jane Doe",
				`href="https://apnews.com/storm"`, "Read the original at apnews.com", `href="/story/1"`, "No comments yet"}},
		{name: "article title escaped", path: "/article/4", status: 200, ctype: "text/html",
			want:    []string{"Council approves &lt;script&gt;alert(1)&lt;/script&gt; budget", "<p>The council voted.</p>"},
			notWant: []string{"<script>alert(1)"}},
		{name: "missing article", path: "/article/42", status: 404, ctype: "text/html"},
		{name: "sources", path: "/sources", status: 200, ctype: "text/html",
			want: []string{"AP Top", `class="failing"`, "server said 503 Service Unavailable", "4 polls in a row", "1 failing", "5 minutes ago"}},
		{name: "search page", path: "/search?q=storm", status: 200, ctype: "text/html",
			want: []string{"Storm floods the coast", `value="storm"`}},
		{name: "empty search", path: "/search", status: 200, ctype: "text/html"},
		{name: "topic", path: "/topic/weather", status: 200, ctype: "text/html", want: []string{"#weather",
			`<link rel="alternate" type="application/atom+xml" href="/topic/weather/feed.xml"`,
			`<link rel="alternate" type="application/feed+json" href="/topic/weather/feed.json"`}},
		{name: "entity", path: "/entity/Jane%20Doe", status: 200, ctype: "text/html", want: []string{"<h1>Jane Doe</h1>"}},
		{name: "atom", path: "/feed.xml", status: 200, ctype: "application/atom+xml",
			want: []string{"<title>Storm floods the coast</title>", "http://example.com/story/1"}},
		{name: "story atom", path: "/story/1/feed.xml", status: 200, ctype: "application/atom+xml",
			want: []string{"Le Monde: Tempête sur la côte"}},
		// Feed entries say what happened and who reported it, not only counts.
		{name: "atom summary", path: "/feed.xml", status: 200, ctype: "application/atom+xml",
			want: []string{"<summary type=\"text\">", "Reported by AP, Yomiuri Shimbun, Le Monde.", `type="application/feed+json"`}},
		{name: "json feed", path: "/feed.json", status: 200, ctype: "application/feed+json",
			want: []string{`"version":"https://jsonfeed.org/version/1.1"`, `"title":"Storm floods the coast"`,
				`"url":"http://example.com/story/1"`, "Reported by AP, Yomiuri Shimbun, Le Monde."}},
		{name: "story json feed", path: "/story/1/feed.json", status: 200, ctype: "application/feed+json",
			want: []string{`"title":"Le Monde: Tempête sur la côte"`, `"url":"http://example.com/article/`, `"external_url":"https://`}},
		{name: "merged story feed redirects", path: "/story/3/feed.json", status: 301, location: "/story/1/feed.json"},
		{name: "topic feed", path: "/topic/weather/feed.xml", status: 200, ctype: "application/atom+xml",
			want: []string{"<title>Testline: #weather</title>", "http://example.com/topic/weather/feed.xml"}},
		{name: "entity feed", path: "/entity/Jane%20Doe/feed.json", status: 200, ctype: "application/feed+json",
			want: []string{`"title":"Testline: Jane Doe"`, `"feed_url":"http://example.com/entity/Jane%20Doe/feed.json"`}},
		{name: "outlet feed", path: "/source/1/feed.xml", status: 200, ctype: "application/atom+xml",
			want: []string{"AP: Storm floods coastal towns"}},
		{name: "unknown outlet feed", path: "/source/999/feed.json", status: 404},
		{name: "manifest", path: "/manifest.webmanifest", status: 200, ctype: "application/manifest+json",
			want: []string{`"name":"Testline"`, `"start_url":"/"`, "/icon-512.png"}},
		{name: "service worker", path: "/sw.js", status: 200, ctype: "text/javascript", want: []string{"caches.open"}},
		{name: "svg icon", path: "/icon.svg", status: 200, ctype: "image/svg+xml"},
		{name: "png icon", path: "/icon-192.png", status: 200, ctype: "image/png", want: []string{"\x89PNG"}},
		{name: "bad png size", path: "/icon-7.png", status: 404},
		{name: "css", path: "/static/style.css", status: 200, ctype: "text/css"},
		{name: "js", path: "/static/app.js", status: 200, ctype: "text/javascript", want: []string{"serviceWorker"}},
		{name: "healthz", path: "/healthz", status: 200, ctype: "text/plain", want: []string{"ok"}},
		{name: "unknown page", path: "/nope", status: 404, ctype: "text/html"},
		{name: "head front page", method: "HEAD", path: "/", status: 200, ctype: "text/html"},
		{name: "post to a page is not found", method: "POST", path: "/story/1", status: 404},
		{name: "cross-origin post refused", method: "POST", path: "/story/1",
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: 403},

		{name: "api articles", path: "/api/v1/articles", status: 200, ctype: "application/json",
			want: []string{`"title":"Tempête sur la côte"`}},
		{name: "api articles bad limit", path: "/api/v1/articles?limit=abc", status: 400, ctype: "application/json", want: []string{`"error":`}},
		{name: "api articles zero limit", path: "/api/v1/articles?limit=0", status: 400, ctype: "application/json"},
		{name: "api articles huge limit", path: "/api/v1/articles?limit=201", status: 400, ctype: "application/json"},
		{name: "api articles bad cursor", path: "/api/v1/articles?cursor=zzz", status: 400, ctype: "application/json"},
		{name: "api article", path: "/api/v1/articles/3", status: 200, ctype: "application/json", want: []string{`"country":"FR"`}},
		{name: "api article missing", path: "/api/v1/articles/999", status: 404, ctype: "application/json", want: []string{`"error":`}},
		{name: "api article bad id", path: "/api/v1/articles/x", status: 400, ctype: "application/json"},
		{name: "api sources", path: "/api/v1/sources", status: 200, ctype: "application/json", want: []string{`"healthy":false`}},
		{name: "api stories", path: "/api/v1/stories", status: 200, ctype: "application/json"},
		{name: "api stories bad cursor", path: "/api/v1/stories?cursor=nope", status: 400, ctype: "application/json"},
		{name: "api story", path: "/api/v1/stories/1", status: 200, ctype: "application/json"},
		{name: "api merged story", path: "/api/v1/stories/3", status: 301, location: "/api/v1/stories/1"},
		{name: "api story missing", path: "/api/v1/stories/77", status: 404, ctype: "application/json"},
		{name: "api search", path: "/api/v1/search?q=council", status: 200, ctype: "application/json",
			want: []string{`"query":"council"`, `"id":4`}},
		{name: "api search missing q", path: "/api/v1/search", status: 400, ctype: "application/json"},
		{name: "api unknown", path: "/api/v1/nothing", status: 404, ctype: "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := cmpOr(tt.method, "GET")
			rec := do(t, h, method, tt.path, tt.header)
			body := rec.Body.String()
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%.500s", rec.Code, tt.status, body)
			}
			if ct := rec.Header().Get("Content-Type"); tt.ctype != "" && !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			if tt.location != "" && rec.Header().Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", rec.Header().Get("Location"), tt.location)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q; body:\n%s", w, body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("body contains %q", w)
				}
			}
			if method == "HEAD" && body != "" {
				t.Errorf("HEAD sent a body of %d bytes", len(body))
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{})
	for _, path := range []string{"/", "/story/1", "/story/3", "/api/v1/articles", "/api/v1/nope", "/nope", "/static/style.css", "/sw.js"} {
		rec := do(t, h, "GET", path, nil)
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; " +
				"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		}
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
}

// TestNoInlineScriptOrStyle guards the CSP: inline code would be blocked.
func TestNoInlineScriptOrStyle(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{})
	for _, path := range []string{"/", "/story/1", "/article/1", "/sources", "/search?q=storm", "/nope", "/offline", "/source/1", "/topic/flood"} {
		body := do(t, h, "GET", path, nil).Body.String()
		for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload="} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
	}
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return m
}

func keys(m any) []string {
	var ks []string
	for k := range m.(map[string]any) {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestAPIShapes(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{})

	m := decode(t, do(t, h, "GET", "/api/v1/articles?limit=2", nil))
	if got := keys(m); !slices.Equal(got, []string{"articles", "next_cursor"}) {
		t.Fatalf("articles page keys %v", got)
	}
	arts := m["articles"].([]any)
	if len(arts) != 2 || m["next_cursor"] == "" {
		t.Fatalf("want 2 articles and a next cursor, got %d, %q", len(arts), m["next_cursor"])
	}
	a := arts[0].(map[string]any)
	if got := keys(a); !slices.Equal(got, []string{"id", "image", "published", "source", "story_id", "text", "title", "url"}) {
		t.Errorf("article keys %v", got)
	}
	if got := keys(a["source"]); !slices.Equal(got, []string{"country", "language", "name"}) {
		t.Errorf("article source keys %v", got)
	}
	if a["title"] != "Tempête sur la côte" || a["published"] != "2026-11-21T11:25:00Z" || a["story_id"] != float64(1) {
		t.Errorf("newest article = %v", a)
	}

	// Following the cursor gives the rest, with no overlap.
	m2 := decode(t, do(t, h, "GET", "/api/v1/articles?limit=2&cursor="+m["next_cursor"].(string), nil))
	arts2 := m2["articles"].([]any)
	if len(arts2) != 2 || m2["next_cursor"] != "" {
		t.Fatalf("second page: %d articles, cursor %q", len(arts2), m2["next_cursor"])
	}
	if arts2[0].(map[string]any)["id"] == a["id"] {
		t.Errorf("pages overlap")
	}

	m = decode(t, do(t, h, "GET", "/api/v1/stories", nil))
	if got := keys(m); !slices.Equal(got, []string{"next_cursor", "stories"}) {
		t.Fatalf("stories page keys %v", got)
	}
	stories := m["stories"].([]any)
	if len(stories) != 2 {
		t.Fatalf("want 2 live stories, got %d", len(stories))
	}
	s := stories[0].(map[string]any)
	if got := keys(s); !slices.Equal(got, []string{"articles", "countries", "first_seen", "headline", "id", "outlets", "storyline_id", "updated"}) {
		t.Errorf("story keys %v", got)
	}
	sa := s["articles"].([]any)
	if len(sa) != 3 {
		t.Fatalf("story 1 lists %d articles, want 3", len(sa))
	}
	if got := keys(sa[0]); !slices.Equal(got, []string{"id", "image", "published", "source", "title", "url"}) {
		t.Errorf("story article keys %v", got)
	}
	for _, a := range sa {
		if p, _ := a.(map[string]any)["published"].(string); p == "" {
			t.Errorf("story article without a publication time: %v", a)
		}
	}
	if got := keys(sa[0].(map[string]any)["source"]); !slices.Equal(got, []string{"name"}) {
		t.Errorf("story article source keys %v", got)
	}

	d := decode(t, do(t, h, "GET", "/api/v1/stories/1", nil))
	want := []string{"articles", "countries", "entities", "figures", "first_seen", "hashtags", "headline", "id",
		"outlets", "quotes", "related", "storyline_id", "summary", "updated"}
	if got := keys(d); !slices.Equal(got, want) {
		t.Errorf("story detail keys %v, want %v", got, want)
	}
	for _, k := range []string{"entities", "figures", "hashtags", "quotes", "related", "summary"} {
		if _, ok := d[k].([]any); !ok {
			t.Errorf("%s is %T, want an array", k, d[k])
		}
	}

	src := decode(t, do(t, h, "GET", "/api/v1/sources", nil))
	list := src["sources"].([]any)
	if len(list) != 4 {
		t.Fatalf("want 4 sources, got %d", len(list))
	}
	if got := keys(list[0]); !slices.Equal(got, []string{"country", "feeds", "home_url", "id", "language", "name"}) {
		t.Errorf("source keys %v", got)
	}
}

// panicStore panics on the front page's first read.
type panicStore struct{ *fakeStore }

func (panicStore) Stories(context.Context, store.StoryQuery) ([]model.Story, string, error) {
	panic("boom")
}

func TestPanicGives500AndServerLives(t *testing.T) {
	f := newFixture()
	h := New(panicStore{f.st}, Options{})
	if rec := do(t, h, "GET", "/", nil); rec.Code != 500 {
		t.Fatalf("panic gave %d, want 500", rec.Code)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 500 {
		t.Fatalf("panic gave %d over HTTP, want 500", res.StatusCode)
	}
	res, err = http.Get(srv.URL + "/article/1")
	if err != nil {
		t.Fatalf("server died after a panic: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("after a panic, /article/1 gave %d", res.StatusCode)
	}
}

func TestStoreFailureGives500WithoutDetails(t *testing.T) {
	f := newFixture()
	f.st.failAll = errors.New("disk on fire at /var/lib/secret.db")
	h := f.handler(Options{})
	for _, path := range []string{"/", "/story/1", "/article/1", "/sources", "/api/v1/articles", "/api/v1/stories/1", "/feed.xml"} {
		rec := do(t, h, "GET", path, nil)
		if rec.Code != 500 {
			t.Errorf("%s: status %d, want 500", path, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "secret.db") {
			t.Errorf("%s leaks the store error", path)
		}
	}
}

type fakeComments struct{}

func (fakeComments) Section(r *http.Request, kind string, id int64) (template.HTML, error) {
	return template.HTML(`<p class="c">comments for ` + kind + `</p>`), nil
}

func (fakeComments) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /story/{id}/comments", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
}

func TestCommentsHook(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{Comments: fakeComments{}})
	for path, want := range map[string]string{"/story/1": "comments for story", "/article/1": "comments for article"} {
		body := do(t, h, "GET", path, nil).Body.String()
		if !strings.Contains(body, want) || strings.Contains(body, "No comments yet") {
			t.Errorf("%s: comment hook not rendered", path)
		}
	}
	if rec := do(t, h, "POST", "/story/1/comments", nil); rec.Code != http.StatusCreated {
		t.Errorf("hook route: status %d", rec.Code)
	}
	if rec := do(t, h, "POST", "/story/1/comments", map[string]string{"Sec-Fetch-Site": "cross-site"}); rec.Code != http.StatusForbidden {
		t.Errorf("cross-origin post to hook route: status %d, want 403", rec.Code)
	}
}

func TestAtomIsWellFormed(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{BaseURL: "https://news.example.org/"})
	var feed atomFeed
	rec := do(t, h, "GET", "/feed.xml", nil)
	if err := xml.NewDecoder(io.NopCloser(rec.Body)).Decode(&feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 2 || feed.Entries[0].ID != "https://news.example.org/story/1" {
		t.Fatalf("entries %+v", feed.Entries)
	}
	if feed.Updated != "2026-11-21T11:25:00Z" {
		t.Errorf("feed updated %q", feed.Updated)
	}
}

func TestNameListAndCount(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"A"}, "A"},
		{[]string{"A", "B"}, "A and B"},
		{[]string{"A", "B", "C"}, "A, B and C"},
		{[]string{"A", "B", "C", "D"}, "A, B and 2 others"},
	}
	for _, tt := range tests {
		if got := nameList(tt.names, 2); got != tt.want {
			t.Errorf("nameList(%v) = %q, want %q", tt.names, got, tt.want)
		}
	}
	for n, want := range map[int]string{0: "0 countries", 1: "1 country", 2: "2 countries"} {
		if got := count(n, "country"); got != want {
			t.Errorf("count(%d) = %q", n, got)
		}
	}
}

func TestGroupCoverage(t *testing.T) {
	ap := model.Source{ID: 1, Name: "AP"}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	arts := []model.Article{
		{ID: 5, Source: model.Source{Name: "Kyodo"}, CopyOf: 4, Published: t0.Add(4 * time.Hour)}, // copy of a copy
		{ID: 4, Source: model.Source{Name: "Yomiuri"}, CopyOf: 1, Published: t0.Add(3 * time.Hour)},
		{ID: 3, Source: model.Source{Name: "Reuters"}, CopyOf: 99, Published: t0.Add(2 * time.Hour)}, // original not in story
		{ID: 2, Source: ap, Published: t0.Add(time.Hour)},
		{ID: 1, Source: ap, Published: t0},
		{ID: 6, Source: model.Source{Name: "Loop"}, CopyOf: 7},
		{ID: 7, Source: model.Source{Name: "Loop"}, CopyOf: 6},
	}
	groups := groupCoverage(arts)
	var got []string
	for _, g := range groups {
		got = append(got, g.Name)
	}
	if !slices.Equal(got, []string{"Loop", "AP", "Reuters"}) {
		t.Fatalf("groups %v", got)
	}
	apg := groups[1]
	if len(apg.Items) != 2 || apg.Items[0].Article.ID != 1 {
		t.Fatalf("AP items %+v", apg.Items)
	}
	if c := apg.Items[0].CopyOutlets; !slices.Equal(c, []string{"Yomiuri", "Kyodo"}) {
		t.Errorf("copies of AP 1 carried by %v", c)
	}
	if n := len(groups[0].Items) + len(groups[0].Items[0].Copies); n != 2 {
		t.Errorf("copy loop lost articles: %d listed", n)
	}
}

func TestMicroCache(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{CacheTTL: time.Hour})
	first := do(t, h, "GET", "/", nil).Body.String()
	f.st.mu.Lock()
	f.st.stories[0].Headline = "Changed headline"
	f.st.mu.Unlock()
	if got := do(t, h, "GET", "/", nil).Body.String(); got != first {
		t.Error("anonymous front page not served from the cache")
	}
	if got := do(t, h, "GET", "/", map[string]string{"Cookie": "session=1"}).Body.String(); !strings.Contains(got, "Changed headline") {
		t.Error("a request with a cookie got the cached page")
	}
	if got := do(t, h, "GET", "/story/1", nil).Body.String(); !strings.Contains(got, "Changed headline") {
		t.Error("story pages must not be micro-cached")
	}
	// A failed render is not cached.
	f2 := newFixture()
	h2 := f2.handler(Options{CacheTTL: time.Hour})
	f2.st.failAll = errors.New("down")
	if rec := do(t, h2, "GET", "/", nil); rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	f2.st.failAll = nil
	if rec := do(t, h2, "GET", "/", nil); rec.Code != 200 {
		t.Errorf("error response was cached: %d", rec.Code)
	}

	// A spoofed Host never reaches readers through the cache.
	evil := httptest.NewRequest("GET", "/feed.xml", nil)
	evil.Host = "evil.example"
	h.ServeHTTP(httptest.NewRecorder(), evil)
	if body := do(t, h, "GET", "/feed.xml", nil).Body.String(); strings.Contains(body, "evil.example") {
		t.Error("feed cached under a spoofed Host served to others")
	}

	c := newMicroCache(time.Second)
	now := time.Unix(0, 0)
	c.now = func() time.Time { return now }
	n := 0
	hf := c.wrap(func(w http.ResponseWriter, r *http.Request) { n++; w.Write([]byte("x")) })
	for range 3 {
		hf(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	now = now.Add(2 * time.Second)
	hf(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if n != 2 {
		t.Errorf("handler ran %d times, want 2 (once, then after expiry)", n)
	}
}

// TestInsightRendering seeds the store's insight cache, so what the pages
// show comes from this test, not from internal/insight's heuristics.
func TestInsightRendering(t *testing.T) {
	f := newFixture()
	view := insightView{
		Entities: []entityView{{Name: "Maria Lopez", Kind: "person"}, {Name: "Valparaiso", Kind: "place"}},
		Hashtags: []string{"#Flood"},
		Summary:  []summaryView{{Text: "Rivers burst their banks.", Outlets: []string{"AP", "Le Monde"}}},
		Quotes: []quoteView{{Text: "We are <b>ready</b>", Speaker: "Maria Lopez", Outlets: []string{"AP"}},
			{Text: "Nobody warned us", Desc: "a resident", Outlets: []string{"Le Monde"}}},
		Figures: []figureView{{Value: "40,000", What: "homes flooded", SaidBy: "the ministry", Outlet: "Le Monde"}},
	}
	data, err := json.Marshal(cachedInsight{View: view})
	if err != nil {
		t.Fatal(err)
	}
	f.st.SaveInsight(context.Background(), f.big.ID, insightVersion(f.big), data)
	srv := newServer(f.st, Options{Now: func() time.Time { return f.now }})
	refreshed := make(chan int64, 4)
	srv.insight.onRefreshed = func(id int64) { refreshed <- id }
	h := srv.handler()

	story := do(t, h, "GET", "/story/1", nil).Body.String()
	for _, want := range []string{
		"Rivers burst their banks. <span class=\"src\">AP, Le Monde</span>",
		"“We are &lt;b&gt;ready&lt;/b&gt;”", `<a href="/entity/Maria%20Lopez">Maria Lopez</a> <span class="via">(AP)</span>`,
		"“Nobody warned us”</p><footer>— a resident",
		"<strong>40,000</strong> homes flooded — <span class=\"who\">the ministry</span> <span class=\"src\">Le Monde</span>",
		`<a href="/topic/Flood">#Flood</a>`, `title="place">Valparaiso</a>`,
	} {
		if !strings.Contains(story, want) {
			t.Errorf("story page lacks %q", want)
		}
	}

	topic := do(t, h, "GET", "/topic/flood", nil).Body.String()
	if !strings.Contains(topic, "Storm floods the coast") || strings.Contains(topic, "Council approves") {
		t.Errorf("topic page lists the wrong stories:\n%s", topic)
	}
	entity := do(t, h, "GET", "/entity/maria%20lopez", nil).Body.String()
	if !strings.Contains(entity, "Storm floods the coast") || !strings.Contains(entity, "We are &lt;b&gt;ready") {
		t.Errorf("entity page lacks the story or quote:\n%s", entity)
	}

	d := decode(t, do(t, h, "GET", "/api/v1/stories/1", nil))
	q := d["quotes"].([]any)[0].(map[string]any)
	if q["speaker"] != "Maria Lopez" || q["text"] != "We are <b>ready</b>" || keys(q)[0] != "outlets" || len(keys(q)) != 3 {
		t.Errorf("quote %v", q)
	}
	fig := d["figures"].([]any)[0].(map[string]any)
	if !slices.Equal(keys(fig), []string{"outlet", "said_by", "value", "what"}) || fig["said_by"] != "the ministry" {
		t.Errorf("figure %v", fig)
	}
	if s := d["summary"].([]any)[0].(map[string]any); !slices.Equal(keys(s), []string{"outlets", "text"}) {
		t.Errorf("summary %v", s)
	}
	if e := d["entities"].([]any)[0].(map[string]any); e["name"] != "Maria Lopez" || e["kind"] != "person" {
		t.Errorf("entity %v", e)
	}

	// A new article changes the story's version: the outdated insight is
	// still shown while a background refresh recomputes it, then replaced.
	f.st.mu.Lock()
	f.st.stories[0].Articles = 4
	f.st.mu.Unlock()
	if !strings.Contains(do(t, h, "GET", "/story/1", nil).Body.String(), "Rivers burst their banks.") {
		t.Error("the outdated insight is not shown while it is refreshed")
	}
	if id := <-refreshed; id != 1 {
		t.Fatalf("refreshed story %d, want 1", id)
	}
	if strings.Contains(do(t, h, "GET", "/story/1", nil).Body.String(), "Rivers burst their banks.") {
		t.Error("outdated insight still shown after its refresh ended")
	}
	if ver, _, _ := f.st.Insight(context.Background(), 1); ver != insightVersion(f.st.stories[0]) {
		t.Errorf("refreshed insight stored as version %q", ver)
	}
}

func TestInsightInput(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var arts []model.Article
	for i := range 100 {
		arts = append(arts, model.Article{ID: int64(i + 1), Published: t0.Add(time.Duration(i) * time.Minute)})
	}
	arts = append(arts, model.Article{ID: 500, CopyOf: 1}, model.Article{ID: 501, CopyOf: 50}, model.Article{ID: 502, CopyOf: 999, Published: t0.Add(50 * time.Minute)}) // its original is elsewhere: an original here
	got := insightInput(arts)
	ids := map[int64]bool{}
	for _, a := range got {
		ids[a.ID] = true
	}
	if len(got) != insightOriginals+1 { // 101 originals cut to 40, plus the copy of article 1
		t.Fatalf("kept %d articles, want %d originals and one copy", len(got), insightOriginals)
	}
	for _, want := range []int64{1, 10, 71, 100, 500} {
		if !ids[want] {
			t.Errorf("article %d dropped", want)
		}
	}
	for _, drop := range []int64{11, 50, 70, 501, 502} {
		if ids[drop] {
			t.Errorf("article %d kept", drop)
		}
	}
	small := arts[:5]
	if got := insightInput(small); len(got) != 5 {
		t.Errorf("small story trimmed to %d", len(got))
	}
}
