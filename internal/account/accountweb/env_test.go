package accountweb

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// csp is the policy the real site sends; tests serve pages under it.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'"

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a running site: the handler on a real SQLite file, a story page
// that embeds the comment section as internal/web does, the stylesheet, and the site's CSP and
// cross-origin protection around it all.
type env struct {
	t   *testing.T
	db  *sql.DB
	svc *account.Service
	h   *Handler
	srv *httptest.Server
	clk *fakeClock
}

func newEnv(t *testing.T, opts Options, useTLS bool) *env {
	t.Helper()
	return newEnvAccounts(t, opts, useTLS, account.Options{SignupBurst: 100})
}

// newEnvAccounts is newEnv with the account service's options (limits);
// the clock, hash cost and read pool are the env's own.
func newEnvAccounts(t *testing.T, opts Options, useTLS bool, aopts account.Options) *env {
	t.Helper()
	// A real SQLite store: its migrations create the accounts tables, and
	// its write handle and query-only reader pool are what the site passes.
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db, rdb := st.DB(), st.ReadDB()
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	aopts.ReadDB, aopts.Now, aopts.Hash = rdb, clk.Now, account.HashParams{Memory: 1024, Time: 1, Threads: 1}
	svc, err := account.New(db, account.SQLite, aopts)
	if err != nil {
		t.Fatal(err)
	}
	h := New(svc, opts)
	mux := http.NewServeMux()
	h.Routes(mux)
	mux.HandleFunc("GET /story/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		section, err := h.Section(r, account.KindStory, id)
		if err != nil {
			t.Errorf("section: %v", err)
		}
		storyPage.Execute(w, map[string]any{"ID": id, "Section": section})
	})
	mux.HandleFunc("GET /static/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, "body{font-family:sans-serif}.inline{display:inline}\n")
	})
	mux.HandleFunc("GET /static/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, "// the site's script (internal/web) is not part of this test\n")
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title><link rel="stylesheet" href="/static/style.css"></head><body><p>Home</p></body></html>`)
	})
	// As the lead wires it: the site's own CrossOriginProtection around everything.
	site := http.NewCrossOriginProtection().Handler(mux)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		site.ServeHTTP(w, r)
	})
	var srv *httptest.Server
	if useTLS {
		srv = httptest.NewTLSServer(handler)
	} else {
		srv = httptest.NewServer(handler)
	}
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, svc: svc, h: h, srv: srv, clk: clk}
}

var storyPage = template.Must(template.New("story").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Story {{.ID}}</title><link rel="stylesheet" href="/static/style.css"></head>
<body><h1>Story {{.ID}}</h1><section class="comments" id="comments"><h2>Comments</h2>{{.Section}}</section></body></html>`))

// client is one browser: its own cookie jar, redirects not followed so
// tests can see them.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := e.srv.Client()
	return &http.Client{Transport: c.Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type resp struct {
	*http.Response
	body string
}

func (e *env) do(c *http.Client, req *http.Request) resp {
	e.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res, string(b)}
}

func (e *env) get(c *http.Client, path string) resp {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	return e.do(c, req)
}

// post submits a form as a same-origin browser would.
func (e *env) post(c *http.Client, path string, form url.Values, hdr ...string) resp {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(c, req)
}

const testPassword = "correct horse battery"

// signup makes an account through the form and returns its browser.
func (e *env) signup(name string) *http.Client {
	e.t.Helper()
	c := e.client()
	r := e.post(c, "/signup", url.Values{"username": {name}, "password": {testPassword}})
	if r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign up %s: %d %s", name, r.StatusCode, r.body)
	}
	return c
}

// comment posts on story id and returns the new comment's id.
func (e *env) comment(c *http.Client, story, parent int64, body string) int64 {
	e.t.Helper()
	r := e.post(c, "/comments", url.Values{"kind": {"story"}, "target": {fmt.Sprint(story)}, "parent": {fmt.Sprint(parent)}, "body": {body}})
	if r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("post comment: %d %s", r.StatusCode, r.body)
	}
	loc := r.Header.Get("Location")
	_, frag, _ := strings.Cut(loc, "#c")
	id, err := strconv.ParseInt(frag, 10, 64)
	if err != nil || !strings.HasPrefix(loc, fmt.Sprintf("/story/%d", story)) {
		e.t.Fatalf("post comment redirected to %q", loc)
	}
	return id
}

func (e *env) cookie(c *http.Client) string {
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "dateline_session" {
			return ck.Value
		}
	}
	return ""
}

func (e *env) promote(name string, role account.Role) {
	e.t.Helper()
	if err := e.svc.Promote(context.Background(), name, role); err != nil {
		e.t.Fatal(err)
	}
}
