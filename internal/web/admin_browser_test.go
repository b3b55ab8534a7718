package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/browsertest"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
)

// TestBrowserAdminFeeds drives headless Chromium through /admin/feeds as an
// administrator: sign in, subscribe by a site's address, pause the feed,
// rename its outlet — plain forms under the site's CSP, with no console
// errors, exceptions or CSP violations.
func TestBrowserAdminFeeds(t *testing.T) {
	browsertest.Chromium(t) // skip before building the site when there is none
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

	st := openSQLite(t)
	svc := accountsOn(t, st)
	if _, err := svc.CreateUser(ctx, "root", "correct horse battery", account.Admin); err != nil {
		t.Fatal(err)
	}
	fo := fetch.DefaultOptions()
	fo.AllowPrivate, fo.PerHostInterval = true, -1
	srv := httptest.NewServer(New(st, Options{CacheTTL: -1, Fetcher: fetch.New(fo),
		Comments: adminHook{accountweb.New(svc, accountweb.Options{}), svc}}))
	defer srv.Close()

	bctx := browsertest.Start(t, 90*time.Second)

	var mu sync.Mutex
	var problems []string
	msgs := chromedp.Console(bctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			mu.Lock()
			problems = append(problems, m.String())
			mu.Unlock()
		}
	}()
	ok := func(step string, res *network.Response, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if res.Status != 200 {
			t.Fatalf("%s: %s status %d", step, res.URL, res.Status)
		}
		if csp, _ := res.Headers["Content-Security-Policy"].(string); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", step, csp)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	res, err := chromedp.Run(bctx, chromedp.NavigateResponse(srv.URL+"/login?next=/admin/feeds"))
	ok("login page", res, err)
	if err := chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "root"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse battery"),
	); err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(bctx, chromedp.Click(chromedp.CSS(`form.account-form button[type=submit]`)))
	ok("log in", res, err)
	if !strings.HasSuffix(res.URL, "/admin/feeds") {
		t.Fatalf("after logging in at %s", res.URL)
	}

	// Subscribe by the site's address: the advertised feed is found.
	if err := chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS(`form.admin input[name=url]`), site.URL+"/"),
		chromedp.SendKeys(chromedp.CSS(`form.admin input[name=country]`), "nz"),
	); err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(bctx, chromedp.Click(chromedp.CSS(`form.admin button[type=submit]`)))
	ok("subscribe", res, err)
	if got := text(`main`); !strings.Contains(got, "Subscribed to "+site.URL+"/rss.xml") || !strings.Contains(got, "Found on "+site.URL+"/") {
		t.Fatalf("after subscribing:\n%s", got)
	}

	// Pause it from its row.
	res, err = chromedp.RunResponse(bctx, chromedp.Click(chromedp.CSS(`table.admin button[value=pause]`)))
	ok("pause", res, err)
	if got := text(`table.admin tbody`); !strings.Contains(got, "Paused") {
		t.Fatalf("after pausing:\n%s", got)
	}

	// Rename the outlet through the row's <details> form.
	if err := chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`table.admin details summary`)),
		chromedp.WaitVisible(chromedp.CSS(`table.admin details input[name=name]`)),
		chromedp.Clear(chromedp.CSS(`table.admin details input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`table.admin details input[name=name]`), "Harbour Times"),
	); err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(bctx, chromedp.Click(chromedp.CSS(`table.admin details button[type=submit]`)))
	ok("rename", res, err)
	if got := text(`main`); !strings.Contains(got, "Saved outlet Harbour Times") {
		t.Fatalf("after renaming:\n%s", got)
	}

	feeds := must[[]model.Feed](t)(st.Feeds(ctx))
	if len(feeds) != 1 || feeds[0].URL != site.URL+"/rss.xml" || !feeds[0].Paused() || feeds[0].Source.Name != "Harbour Times" || feeds[0].Source.Country != "NZ" {
		t.Fatalf("stored feeds %+v", feeds)
	}
	// Messages the browser reported by now; every page above has loaded.
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("browser console:\n%s", strings.Join(problems, "\n"))
	}
}
