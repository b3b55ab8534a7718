package web

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/feedadmin"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

// adminHook is the accounts hook as cmd/dateline wires it, role included.
type adminHook struct {
	*accountweb.Handler
	svc *account.Service
}

func (h adminHook) Reader(r *http.Request) (Reader, bool, error) {
	u, ok := h.User(r)
	if !ok {
		return Reader{}, false, nil
	}
	return Reader{Name: u.Username, Admin: u.Role == account.Admin && !u.Suspended}, true, nil
}

func (h adminHook) APIReader(r *http.Request, token string) (Reader, bool, error) {
	u, ok, err := h.TokenUser(r, token)
	if !ok || err != nil {
		return Reader{}, false, err
	}
	topics, sources, err := h.svc.Follows(r.Context(), u.ID)
	if err != nil {
		return Reader{}, false, err
	}
	return Reader{Name: u.Username, Topics: topics, Sources: sources, Admin: u.Role == account.Admin, Role: string(u.Role)}, true, nil
}

func (h adminHook) APIFollow(r *http.Request, token, kind, value string, on bool) error {
	u, ok, err := h.TokenUser(r, token)
	if err != nil {
		return err
	}
	if !ok {
		return &InputError{Msg: "invalid API token"}
	}
	err = h.svc.Follow(r.Context(), u, kind, value, on)
	if inv := (*account.InvalidError)(nil); errors.As(err, &inv) {
		return &InputError{Msg: inv.Msg}
	}
	return err
}

// backends are the stores the operator pages are tested on: SQLite, and
// PostgreSQL when DATELINE_TEST_POSTGRES_URL is set (required under CI).
func backends(t *testing.T) []struct {
	name string
	open func(t *testing.T) store.Store
} {
	list := []struct {
		name string
		open func(t *testing.T) store.Store
	}{{"sqlite", func(t *testing.T) store.Store { return openSQLite(t) }}}
	if os.Getenv(storetest.PostgresEnv) == "" && os.Getenv("CI") != "true" {
		t.Logf("%s not set: PostgreSQL runs skipped", storetest.PostgresEnv)
		return list
	}
	return append(list, struct {
		name string
		open func(t *testing.T) store.Store
	}{"postgres", func(t *testing.T) store.Store {
		st, err := postgres.Open(context.Background(), storetest.FreshPostgres(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}})
}

func accountsOn(t *testing.T, st store.Store) *account.Service {
	t.Helper()
	dialect := account.SQLite
	if _, ok := st.(*postgres.Store); ok {
		dialect = account.Postgres
	}
	svc, err := account.New(st.(interface{ DB() *sql.DB }).DB(), dialect, account.Options{Hash: account.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// seedFeeds stores feeds in every state, an imported outlet and a pending
// feed that already carries articles.
func seedFeeds(t *testing.T, st store.Store, now time.Time) {
	ctx := context.Background()
	add := func(name, url string) model.Feed {
		src := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: name, Country: "NZ", Language: "en"}))
		f, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: url})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ok := add("127.0.0.10", "https://ten.example/rss")
	ok.LastPoll, ok.LastStatus, ok.NextPoll = now.Add(-5*time.Minute), 200, now.Add(10*time.Minute)
	pending := add("127.0.0.2", "https://two.example/rss")
	failing := add("beta", "https://beta.example/rss")
	failing.LastPoll, failing.LastError, failing.Failures, failing.NextPoll = now.Add(-time.Hour), "fetch https://beta.example/rss: dial tcp: lookup beta.example: no such host", 1, now.Add(time.Hour)
	failing.FailingSince = failing.LastPoll
	paused := add("Alpha", "https://alpha.example/rss")
	gone := add("gamma", "https://gamma.example/rss")
	gone.LastPoll, gone.LastStatus, gone.LastError, gone.Retired = now.Add(-3*time.Hour), 410, "http status 410 Gone from https://gamma.example/rss", now.Add(-3*time.Hour)
	for _, f := range []model.Feed{ok, failing, gone} {
		if err := st.SaveFeedState(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetFeedPaused(ctx, paused.URL, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	a := model.Article{SourceID: pending.SourceID, FeedID: pending.ID, URL: "https://two.example/a", Title: "Ferry timetable changes", Published: now}
	must[bool](t)(st.InsertArticle(ctx, &a))
	imp := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Zed Imports"}))
	for _, u := range []string{"https://zed.example/1", "https://zed.example/2"} {
		a := model.Article{SourceID: imp.ID, URL: u, Title: "Imported " + u, Published: now}
		must[bool](t)(st.InsertArticle(ctx, &a))
	}
}

func TestSourcesPage(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testSourcesPage(t, b.open(t)) })
	}
}

func testSourcesPage(t *testing.T, st store.Store) {
	// A fixed afternoon, so relative times never cross midnight.
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	seedFeeds(t, st, now)
	h := New(st, Options{CacheTTL: -1, Now: func() time.Time { return now }})
	rec := do(t, h, "GET", "/sources", nil)
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	// Natural, case-insensitive order of outlet names, imported outlets included.
	last := -1
	for _, name := range []string{">127.0.0.2<", ">127.0.0.10<", ">Alpha<", ">beta<", ">gamma<", ">Zed Imports<"} {
		i := strings.Index(body, name)
		if i < 0 || i < last {
			t.Fatalf("%s missing or out of order in:\n%s", name, body)
		}
		last = i
	}
	row := func(name string) string {
		i := strings.Index(body, ">"+name+"<")
		j := strings.Index(body[i:], "</tr>")
		return body[i : i+j]
	}
	for _, tc := range []struct {
		outlet     string
		want, nots []string
	}{
		{"127.0.0.10", []string{`class="ok"`, "5 minutes ago", "in 10 minutes"}, nil},
		{"127.0.0.2", []string{"Pending", "never", "due now", `data-label="Articles">1<`}, []string{`class="ok"`}},
		{"beta", []string{"Failing: DNS", "since", "1 poll in a row", "no such host", "in 1 hour"}, []string{`class="ok"`}},
		{"Alpha", []string{"Paused", "2 hours ago", ">paused<"}, nil},
		{"gamma", []string{"Retired", "3 hours ago", "410 Gone", "never (retired)"}, []string{`class="ok"`}},
		{"Zed Imports", []string{"Imported", `data-label="Articles">2<`, "not polled"}, []string{"Pending"}},
	} {
		r := row(tc.outlet)
		for _, w := range tc.want {
			if !strings.Contains(r, w) {
				t.Errorf("%s row lacks %q:\n%s", tc.outlet, w, r)
			}
		}
		for _, n := range tc.nots {
			if strings.Contains(r, n) {
				t.Errorf("%s row has %q:\n%s", tc.outlet, n, r)
			}
		}
	}
	for _, w := range []string{"2 of 5 feeds polled", "1 OK", "1 failing", "(DNS 1)", "1 waiting for a first poll", "1 paused", "1 retired", "1 imported outlet"} {
		if !strings.Contains(body, w) {
			t.Errorf("progress line lacks %q", w)
		}
	}
	if strings.Contains(body, "/admin/feeds") {
		t.Error("anonymous reader offered the admin link")
	}

	// The API tells the same states.
	var api struct {
		Sources []struct {
			Name  string
			Feeds []struct {
				Status, Cause string
				Healthy       bool
				Since         *time.Time
				NextPoll      *time.Time `json:"next_poll"`
			}
		}
	}
	if err := json.Unmarshal(do(t, h, "GET", "/api/v1/sources", nil).Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, src := range api.Sources {
		for _, f := range src.Feeds {
			got[src.Name] = fmt.Sprintf("%s/%s/%v/%v", f.Status, f.Cause, f.Since != nil, f.NextPoll != nil)
		}
	}
	want := map[string]string{"127.0.0.10": "ok//false/true", "127.0.0.2": "pending//false/false", "beta": "failing/DNS/true/true",
		"Alpha": "paused//true/false", "gamma": "retired/HTTP 4xx/true/false"}
	if !maps.Equal(got, want) {
		t.Errorf("API feed states %v, want %v", got, want)
	}
}

func TestFirstRunPanel(t *testing.T) {
	ctx := context.Background()
	dns := "fetch https://x.example/rss: dial tcp: lookup x.example: no such host"
	for _, tc := range []struct {
		name       string
		feeds      []model.Feed // LastError set: polled and failed
		want, nots []string
	}{
		{"no feeds", nil, []string{"No stories yet", "follows no feed", "dateline feeds import FILE.opml", "dateline import FILE.jsonl"}, []string{"could be reached"}},
		{"first round under way", []model.Feed{{URL: "https://a.example/rss"}, {URL: "https://b.example/rss"}},
			[]string{"0 of 2 feeds polled", "2 waiting for a first poll", "under way", "dateline feeds add"}, []string{"could be reached"}},
		{"no network", []model.Feed{{URL: "https://a.example/rss", LastError: dns}, {URL: "https://b.example/rss", LastError: dns}},
			[]string{"2 of 2 feeds polled", "2 failing", "No feed could be reached", "<strong>DNS</strong> — 2 feeds", "curl -I", "dateline import FILE.jsonl", `href="/sources"`},
			[]string{"/admin/feeds"}},
		{"a publisher answers 404", []model.Feed{{URL: "https://a.example/rss", LastError: dns}, {URL: "https://b.example/rss", LastError: "http status 404 Not Found from b", LastStatus: 404}},
			[]string{"HTTP 4xx", "DNS"}, []string{"No feed could be reached", "curl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openSQLite(t)
			src := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Outlet"}))
			for _, f := range tc.feeds {
				g, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: f.URL})
				if err != nil {
					t.Fatal(err)
				}
				if f.LastError != "" {
					g.LastPoll, g.LastError, g.LastStatus, g.Failures = time.Now(), f.LastError, f.LastStatus, 1
					if err := st.SaveFeedState(ctx, g); err != nil {
						t.Fatal(err)
					}
				}
			}
			// Both the front page and /sources tell it while nothing works yet.
			for _, path := range []string{"/", "/sources"} {
				body := do(t, New(st, Options{CacheTTL: -1}), "GET", path, nil).Body.String()
				for _, w := range tc.want {
					if path == "/sources" {
						w = strings.Replace(w, "No stories yet", "Nothing polled successfully yet", 1)
					}
					if !strings.Contains(body, w) {
						t.Errorf("%s lacks %q:\n%s", path, w, body)
					}
				}
				for _, n := range tc.nots {
					if strings.Contains(body, n) {
						t.Errorf("%s has %q", path, n)
					}
				}
			}
		})
	}
	// With stories, no panel.
	f := newFixture()
	if body := do(t, f.handler(Options{}), "GET", "/", nil).Body.String(); strings.Contains(body, "No stories yet") {
		t.Error("panel shown beside stories")
	}
}

const adminRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>
<item><title>Ferry service resumes</title><link>https://harbour.example/ferry</link></item></channel></rss>`

// TestAdminFeeds manages feeds through the real handler as a signed-in
// administrator, and checks that nobody else can.
func TestAdminFeeds(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testAdminFeeds(t, b.open(t)) })
	}
}

func testAdminFeeds(t *testing.T, st store.Store) {
	ctx := context.Background()
	pub := http.NewServeMux()
	pub.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(adminRSS))
	})
	pub.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>Home</body></html>`))
	})
	site := httptest.NewServer(pub)
	defer site.Close()

	svc := accountsOn(t, st)
	for name, role := range map[string]account.Role{"root": account.Admin, "ann": account.Reader} {
		if _, err := svc.CreateUser(ctx, name, "correct horse battery", role); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	fo := fetch.DefaultOptions()
	fo.AllowPrivate, fo.PerHostInterval = true, -1
	srv := httptest.NewServer(New(st, Options{CacheTTL: -1, Fetcher: fetch.New(fo),
		Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
		Comments: adminHook{accountweb.New(svc, accountweb.Options{}), svc}}))
	defer srv.Close()

	login := func(name string) browser {
		jar, _ := cookiejar.New(nil)
		b := browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: srv.URL}
		if name != "" {
			if code, _ := b.post("/login", url.Values{"username": {name}, "password": {"correct horse battery"}}); code != http.StatusSeeOther {
				t.Fatalf("log in %s: status %d", name, code)
			}
		}
		return b
	}
	feeds := func() []model.Feed { return must[[]model.Feed](t)(st.Feeds(ctx)) }

	// Nobody but an administrator sees the page or changes anything.
	for _, who := range []string{"", "ann"} {
		b := login(who)
		if code, _, _ := b.get("/admin/feeds"); code != http.StatusForbidden {
			t.Errorf("%q: GET /admin/feeds status %d, want 403", who, code)
		}
		if code, _ := b.post("/admin/feeds", url.Values{"action": {"add"}, "url": {site.URL + "/rss.xml"}}); code != http.StatusForbidden {
			t.Errorf("%q: POST /admin/feeds status %d, want 403", who, code)
		}
	}
	if len(feeds()) != 0 {
		t.Fatal("a non-administrator added a feed")
	}

	root := login("root")
	postBody := func(form url.Values) (int, string) {
		t.Helper()
		resp, err := root.c.PostForm(srv.URL+"/admin/feeds", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	feedURL := site.URL + "/rss.xml"
	steps := []struct {
		name  string
		form  url.Values
		code  int
		want  string
		check func(t *testing.T, list []model.Feed)
	}{
		{"add by site address", url.Values{"action": {"add"}, "url": {site.URL + "/"}, "country": {"au"}, "category": {"Local"}}, 200, "Found on " + site.URL + "/",
			func(t *testing.T, l []model.Feed) {
				if len(l) != 1 || l[0].URL != feedURL || l[0].Source.Country != "AU" || l[0].Source.Category != "local" {
					t.Fatalf("feeds %+v", l)
				}
			}},
		{"add a bad URL", url.Values{"action": {"add"}, "url": {"javascript:alert(1)"}}, 400, "not an http(s) URL", nil},
		{"add again", url.Values{"action": {"add"}, "url": {feedURL}}, 200, "Already subscribed", nil},
		{"add with a bad country", url.Values{"action": {"add"}, "url": {site.URL + "/other.xml"}, "country": {"O1"}}, 400, "two-letter", nil},
		{"rename", url.Values{"action": {"update"}, "url": {feedURL}, "name": {"Harbour Times"}, "country": {"nz"}}, 200, "Saved outlet Harbour Times",
			func(t *testing.T, l []model.Feed) {
				if l[0].Source.Name != "Harbour Times" || l[0].Source.Country != "NZ" || l[0].Source.Category != "local" {
					t.Fatalf("outlet %+v", l[0].Source)
				}
			}},
		{"pause", url.Values{"action": {"pause"}, "url": {feedURL}}, 200, "Paused",
			func(t *testing.T, l []model.Feed) {
				if !l[0].Paused() {
					t.Fatal("not paused")
				}
			}},
		{"resume", url.Values{"action": {"resume"}, "url": {feedURL}}, 200, "Resumed",
			func(t *testing.T, l []model.Feed) {
				if l[0].Paused() {
					t.Fatal("still paused")
				}
			}},
		{"pause a missing feed", url.Values{"action": {"pause"}, "url": {site.URL + "/none.xml"}}, 404, "There is no feed", nil},
		{"unknown action", url.Values{"action": {"explode"}, "url": {feedURL}}, 400, "Unknown action", nil},
	}
	for _, s := range steps {
		code, body := postBody(s.form)
		if code != s.code || !strings.Contains(body, s.want) {
			t.Fatalf("%s: status %d, want %d with %q:\n%s", s.name, code, s.code, s.want, body)
		}
		if s.check != nil {
			s.check(t, feeds())
		}
	}

	// OPML upload, then export.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("opml", "mine.opml")
	fw.Write([]byte(`<opml version="2.0"><body><outline text="Second" xmlUrl="` + site.URL + `/" language="mi"/><outline text="Elsewhere" xmlUrl="https://elsewhere.example/feed" country="fj"/></body></opml>`))
	mw.Close()
	resp, err := root.c.Post(srv.URL+"/admin/feeds/opml", mw.FormDataContentType(), &mp)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The site's page resolves to the feed already subscribed; the other
	// host cannot be reached from a test and is subscribed as given.
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Imported mine.opml: 1 new of 2 feeds") {
		t.Fatalf("upload: %d\n%s", resp.StatusCode, body)
	}
	if l := feeds(); len(l) != 2 {
		t.Fatalf("after upload %+v", l)
	}
	code, _, opml := login("").get("/opml")
	if code != 200 || !strings.Contains(opml, `xmlUrl="`+feedURL+`"`) || !strings.Contains(opml, `xmlUrl="https://elsewhere.example/feed"`) {
		t.Fatalf("export: %d\n%s", code, opml)
	}
	if back, err := feedadmin.ImportOPML(ctx, openSQLite(t), nil, strings.NewReader(opml), 0); err != nil || len(back) != 2 {
		t.Fatalf("export does not read back: %v %+v", err, back)
	}

	// Cross-site form posts are refused by the cross-origin protection.
	req, _ := http.NewRequest("POST", srv.URL+"/admin/feeds", strings.NewReader(url.Values{"action": {"remove"}, "url": {feedURL}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = root.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(feeds()) != 2 {
		t.Fatalf("cross-site remove: status %d, %d feeds left", resp.StatusCode, len(feeds()))
	}

	// Remove keeps the articles.
	f := feeds()[1]
	a := model.Article{SourceID: f.SourceID, FeedID: f.ID, URL: "https://harbour.example/ferry", Title: "Ferry service resumes", Published: time.Now()}
	must[bool](t)(st.InsertArticle(ctx, &a))
	if code, body := postBody(url.Values{"action": {"remove"}, "url": {f.URL}}); code != 200 || !strings.Contains(body, "articles stay") {
		t.Fatalf("remove: %d", code)
	}
	if len(feeds()) != 1 {
		t.Fatal("feed not removed")
	}
	if _, err := st.Article(ctx, a.ID); err != nil {
		t.Fatalf("article lost with its feed: %v", err)
	}

	// Every action is in the audit table, newest first, and on the page.
	audit := must[[]model.AuditEntry](t)(st.Audit(ctx, 50))
	var actions []string
	for _, e := range audit {
		if e.Actor != "root" {
			t.Errorf("audit entry by %q", e.Actor)
		}
		actions = append(actions, e.Action)
	}
	if want := []string{"remove", "import", "pause", "resume", "pause", "update", "add", "add", "add", "add"}; !slices.Equal(actions, want) {
		t.Errorf("audit actions %v, want %v", actions, want)
	}
	if !strings.HasPrefix(audit[len(audit)-2].Detail, "refused: ") || !strings.Contains(audit[0].Detail, "articles stay") {
		t.Errorf("audit details %+v", audit)
	}
	if _, _, page := root.get("/admin/feeds"); !strings.Contains(page, "Recent actions") || !strings.Contains(page, "Unsubscribed from") {
		t.Error("admin page does not list recent actions")
	}
	// The header links administrators, and only them, to the page.
	if _, _, page := root.get("/"); !strings.Contains(page, `<a href="/admin/feeds">Manage feeds</a>`) {
		t.Error("no header link for the administrator")
	}
	if _, _, page := login("ann").get("/"); strings.Contains(page, `href="/admin/feeds"`) {
		t.Error("a reader is offered the admin page")
	}
	// Every action left an audit line naming the administrator.
	for _, w := range []string{`msg="audit: feed action" admin=root action=add`, `action=update`, `action=pause`, `action=resume`, `action=import target=mine.opml`, `action=remove`, `msg="audit: feed action refused" admin=root action=add target=javascript:alert(1)`} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("audit log lacks %q:\n%s", w, logs.String())
		}
	}
}
