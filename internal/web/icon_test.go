package web

import (
	"context"
	"fmt"
	"image/color"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// TestOutletIcons: an outlet whose icon is stored shows it, served by
// Dateline, before its name on the outlet page, the article page, the
// story's coverage and the front page card; an outlet without one shows
// its name alone, and no page points an image at a publisher.
func TestOutletIcons(t *testing.T) {
	ctx := context.Background()
	icon := pngOf(t, 32, 32, color.RGBA{200, 20, 20, 255})
	withIcon := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="icon" href="assets/icon.png"></head><body></body></html>`)
		case "/assets/icon.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(icon)
		default:
			http.NotFound(w, r)
		}
	}))
	defer withIcon.Close()
	st, err := sqlite.Open(ctx, t.TempDir()+"/icons.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC().Truncate(time.Second)
	a := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Iconic Gazette", Country: "GB", Language: "en", HomeURL: withIcon.URL + "/"}))
	// No server answers for this outlet: its icon is only ever queued here
	// (no worker runs), never fetched.
	b := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Plain Tribune", Country: "US", Language: "en", HomeURL: "https://plaintribune.example/"}))
	var arts []model.Article
	for i, s := range []model.Source{a, b} {
		art := model.Article{SourceID: s.ID, URL: fmt.Sprintf("https://news%d.example/a", i), Title: "Harbour bridge reopens after repairs",
			Published: now.Add(-time.Hour), Fetched: now, Language: "en", Text: "The bridge reopened on Monday after repairs."}
		if _, err := st.InsertArticle(ctx, &art); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Assign(ctx, store.Assignment{ArticleID: art.ID, Story: 1, Headline: art.Title, Reason: "same bridge"}); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, art)
	}
	opts := fetch.DefaultOptions()
	opts.AllowPrivate, opts.PerHostInterval = true, -1
	images := media.New(st.DB(), fetch.New(opts), media.Options{})
	if err := images.FetchIcon(ctx, a.HomeURL); err != nil {
		t.Fatal(err)
	}
	h := New(st, Options{Images: images, CacheTTL: -1, Now: func() time.Time { return now }})
	wantImg := `<img class="oi" src="/img/` + media.IconID(a.HomeURL) + `?s=icon"`
	for _, path := range []string{fmt.Sprintf("/source/%d", a.ID), fmt.Sprintf("/article/%d", arts[0].ID), "/story/1", "/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		body := rec.Body.String()
		if !strings.Contains(body, wantImg) {
			t.Errorf("GET %s: no stored icon %s", path, wantImg)
		}
		if n := strings.Count(body, `class="oi"`); n != 1 {
			t.Errorf("GET %s: %d outlet icons, want 1 (the other outlet has none stored)", path, n)
		}
		for _, m := range imgSrc.FindAllStringSubmatch(body, -1) {
			if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
				t.Errorf("GET %s: image from elsewhere: %s", path, m[1])
			}
		}
		if strings.Contains(body, withIcon.URL+"/assets") {
			t.Errorf("GET %s: the publisher's icon URL is on the page", path)
		}
	}
	// The outlet page of the outlet without an icon shows none.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/source/%d", b.ID), nil))
	if strings.Contains(rec.Body.String(), `class="oi"`) {
		t.Errorf("outlet without an icon shows one")
	}
	// The icon itself is a PNG served by Dateline.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/img/"+media.IconID(a.HomeURL)+"?s=icon", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("icon: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self'") || strings.Contains(csp, "img-src *") {
		t.Errorf("CSP %q", csp)
	}
}
