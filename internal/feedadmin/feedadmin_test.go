package feedadmin

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>
<item><title>Council approves new library</title><link>https://news.example/library</link></item></channel></rss>`

func page(links string) string {
	return `<!DOCTYPE html><html><head><title>Example</title>` + links + `</head><body><p>Front page</p></body></html>`
}

// publisher serves the shapes a subscription URL comes in.
func publisher(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rss))
	})
	mux.HandleFunc("/site/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(page(`<link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" href="../feed.xml">`)))
	})
	mux.HandleFunc("/dead-links/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(page(`<link rel="alternate" type="application/atom+xml" href="/down.xml">`)))
	})
	mux.HandleFunc("/second-works/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(page(`<link rel="alternate" type="application/atom+xml" href="/down.xml"><link rel="alternate" type="application/rss+xml" href="/feed.xml">`)))
	})
	mux.HandleFunc("/plain/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(page(``)))
	})
	mux.HandleFunc("/down.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/hang.xml", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<rss><channel><item><title>cut`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func client() *fetch.Client {
	o := fetch.DefaultOptions()
	o.AllowPrivate = true
	o.PerHostInterval = -1
	return fetch.New(o)
}

func openStore(t *testing.T) store.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestAddDiscovers(t *testing.T) {
	srv := publisher(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, url         string
		feed, foundOn     string // want
		warning, errMatch string // substrings; "" = none
	}{
		{"feed itself", "/feed.xml", "/feed.xml", "", "", ""},
		{"page advertising a feed", "/site/", "/feed.xml", "/site/", "", ""},
		{"first advertised feed down, second works", "/second-works/", "/feed.xml", "/second-works/", "", ""},
		{"advertised feed down: kept with a warning", "/dead-links/", "/down.xml", "/dead-links/", "503", ""},
		{"page without a feed", "/plain/", "", "", "", "advertises no feed"},
		{"missing page", "/nothing-here", "", "", "", "404"},
		{"server error: kept with a warning", "/down.xml", "/down.xml", "", "503", ""},
		{"broken feed: kept with a warning", "/broken.xml", "/broken.xml", "", "not a valid feed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			got, err := Add(ctx, st, client(), Request{URL: srv.URL + tc.url, Country: "nz"}, 0)
			if tc.errMatch != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errMatch) {
					t.Fatalf("error %v, want %q", err, tc.errMatch)
				}
				if list, _ := st.Feeds(ctx); len(list) != 0 {
					t.Fatalf("subscribed despite the error: %+v", list)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantOn := ""
			if tc.foundOn != "" {
				wantOn = srv.URL + tc.foundOn
			}
			if got.Feed.URL != srv.URL+tc.feed || got.FoundOn != wantOn || !got.Created {
				t.Fatalf("added %+v, want feed %s found on %q", got, tc.feed, wantOn)
			}
			if (tc.warning == "") != (got.Warning == "") || !strings.Contains(got.Warning, tc.warning) {
				t.Fatalf("warning %q, want %q", got.Warning, tc.warning)
			}
			if got.Feed.Source.Country != "NZ" || got.Feed.Source.Name != "127.0.0.1" {
				t.Fatalf("outlet %+v", got.Feed.Source)
			}
		})
	}
}

// TestBudget: a check that cannot finish in time does not hold up the
// subscription; the URL is kept as given with a warning.
func TestBudget(t *testing.T) {
	srv := publisher(t)
	st := openStore(t)
	got, err := Add(context.Background(), st, client(), Request{URL: srv.URL + "/hang.xml"}, 50*time.Millisecond)
	if err != nil || !got.Created || got.Feed.URL != srv.URL+"/hang.xml" || !strings.Contains(got.Warning, "no time left") {
		t.Fatalf("added %+v, %v", got, err)
	}
}

func TestImportExportManage(t *testing.T) {
	srv := publisher(t)
	ctx := context.Background()
	st := openStore(t)
	opml := `<opml version="2.0"><body>
<outline text="Example Site" xmlUrl="` + srv.URL + `/site/" country="au" language="en"/>
<outline text="Plain" xmlUrl="` + srv.URL + `/plain/" category="/Science/Space,extra"/>
<outline text="Bad" xmlUrl="ftp://x.example/feed"/>
</body></opml>`
	res, err := ImportOPML(ctx, st, client(), strings.NewReader(opml), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Err != nil || res[0].Added.Feed.URL != srv.URL+"/feed.xml" || res[1].Err == nil || res[2].Err == nil {
		t.Fatalf("import results %+v", res)
	}
	if _, err := ImportOPML(ctx, st, nil, strings.NewReader("<html></html>"), 0); err == nil {
		t.Fatal("a non-OPML file imported")
	}

	feedURL := srv.URL + "/feed.xml"
	name, cat := "Example Site Daily", "Local "
	src, err := Update(ctx, st, feedURL, Change{Name: &name, Category: &cat})
	if err != nil || src.Name != name || src.Category != "local" || src.Country != "AU" {
		t.Fatalf("update: %+v %v", src, err)
	}
	taken := "127.0.0.1" // the outlet the refused entries would have made is not stored; make one
	if _, err := Add(ctx, st, nil, Request{URL: "https://other.example/rss", Name: taken}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(ctx, st, feedURL, Change{Name: &taken}); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("rename onto another outlet's name: %v", err)
	}
	bad := "Atlantis"
	if _, err := Update(ctx, st, feedURL, Change{Country: &bad}); err == nil {
		t.Fatal("a bad country accepted")
	}
	if _, err := Update(ctx, st, srv.URL+"/none.xml", Change{Name: &name}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of a missing feed: %v", err)
	}

	var buf bytes.Buffer
	if err := ExportOPML(ctx, st, &buf); err != nil {
		t.Fatal(err)
	}
	// The export reads back as the same subscriptions.
	other := openStore(t)
	back, err := ImportOPML(ctx, other, nil, &buf, 0)
	if err != nil || len(back) != 2 || back[0].Err != nil {
		t.Fatalf("re-import of the export: %+v %v", back, err)
	}
	if f := back[1].Added.Feed; f.URL != feedURL || f.Source.Name != name || f.Source.Country != "AU" || f.Source.Language != "en" || f.Source.Category != "local" {
		t.Fatalf("exported and re-imported as %+v", f)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		in  Request
		ok  bool
		out Request
	}{
		{Request{URL: " https://a.example/rss ", Name: "  A   News ", Country: "gb", Language: "EN", Category: " World "}, true,
			Request{URL: "https://a.example/rss", Name: "A News", Country: "GB", Language: "en", Category: "world"}},
		{Request{URL: "javascript:alert(1)"}, false, Request{}},
		{Request{URL: "https://"}, false, Request{}},
		{Request{URL: "https://a.example/", Country: "G1"}, false, Request{}},
		{Request{URL: "https://a.example/", Language: "english"}, false, Request{}},
		{Request{URL: "https://a.example/", Name: strings.Repeat("n", 101)}, false, Request{}},
	} {
		got, err := Validate(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.out) {
			t.Errorf("Validate(%+v) = %+v, %v", tc.in, got, err)
		}
	}
}
