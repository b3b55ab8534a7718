package media

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/sqlite"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

func testImage(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return m
}

func encoded(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, testImage(w, h))
	case "jpeg":
		err = jpeg.Encode(&b, testImage(w, h), nil)
	case "gif":
		err = gif.Encode(&b, testImage(w, h), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugeGIFHeader declares a 65535x65535 canvas in a few bytes: it must be
// refused from its header, before any decoding.
func hugeGIFHeader(t *testing.T) []byte {
	b := encoded(t, "gif", 300, 200)
	copy(b[6:], []byte{0xff, 0xff, 0xff, 0xff}) // logical screen width, height
	return b
}

func TestProcess(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantErr     string
		wantCardW   int
	}{
		{"png", encoded(t, "png", 800, 400), "image/png", "", CardWidth},
		{"jpeg without type", encoded(t, "jpeg", 1600, 900), "", "", CardWidth},
		{"gif kept small", encoded(t, "gif", 300, 200), "image/gif", "", 300},
		{"octet-stream", encoded(t, "png", 400, 300), "application/octet-stream", "", 400},
		{"html page", []byte("<html><body>hi</body></html>"), "text/html", "not an image", 0},
		{"garbage claiming image", []byte("just some text, not a picture"), "image/jpeg", "not a JPEG", 0},
		{"tracking pixel", encoded(t, "png", 1, 1), "image/png", "too small", 0},
		{"declared bomb", hugeGIFHeader(t), "image/gif", "too large", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Process(tt.body, tt.contentType)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			card, err := jpeg.DecodeConfig(bytes.NewReader(p.Card))
			if err != nil {
				t.Fatalf("card is not a JPEG: %v", err)
			}
			if card.Width != tt.wantCardW {
				t.Errorf("card width %d, want %d", card.Width, tt.wantCardW)
			}
			if _, err := jpeg.DecodeConfig(bytes.NewReader(p.Large)); err != nil {
				t.Errorf("large is not a JPEG: %v", err)
			}
		})
	}
}

type testDB struct {
	name     string
	db       *sql.DB
	postgres bool
}

// testDBs opens fresh stores (so their migrations created the media table):
// SQLite always, PostgreSQL when DATELINE_TEST_POSTGRES_URL is set (CI=true
// requires it).
func testDBs(t *testing.T) []testDB {
	t.Helper()
	sq, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	out := []testDB{{"sqlite", sq.DB(), false}}
	if os.Getenv(storetest.PostgresEnv) == "" && os.Getenv("CI") != "true" {
		t.Logf("%s not set: PostgreSQL runs skipped", storetest.PostgresEnv)
		return out
	}
	pg, err := postgres.Open(context.Background(), storetest.FreshPostgres(t))
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { pg.Close() })
	return append(out, testDB{"postgres", pg.DB(), true})
}

func TestCache(t *testing.T) {
	good := encoded(t, "png", 900, 500)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/lead.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(good)
		case "/page.html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html></html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	client := fetch.New(opts)
	for _, d := range testDBs(t) {
		t.Run(d.name, func(t *testing.T) {
			hits.Store(0)
			ctx := context.Background()
			now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			c := New(d.db, client, Options{Postgres: d.postgres, Now: func() time.Time { return now }})
			lead, page, missing := srv.URL+"/lead.png", srv.URL+"/page.html", srv.URL+"/gone.jpg"
			if err := c.Fetch(ctx, lead); err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{page, missing} {
				if err := c.Fetch(ctx, u); err == nil {
					t.Errorf("Fetch(%s) stored a non-image", u)
				}
			}
			ready, err := c.Ready(ctx, []string{lead, page, missing, "not a url", lead})
			if err != nil {
				t.Fatal(err)
			}
			if len(ready) != 1 || ready[lead] != ID(lead) {
				t.Fatalf("Ready = %v, want only %s", ready, lead)
			}
			for _, size := range []string{Card, Large} {
				b, err := c.Image(ctx, ID(lead), size)
				if err != nil {
					t.Fatal(err)
				}
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%s: not a JPEG: %v", size, err)
				}
				if want := map[string]int{Card: CardWidth, Large: 900}[size]; cfg.Width != want {
					t.Errorf("%s width %d, want %d", size, cfg.Width, want)
				}
			}
			if _, err := c.Image(ctx, ID(page), Card); !errors.Is(err, ErrNotFound) {
				t.Errorf("refused image served: %v", err)
			}
			// Stored and recently failed images are not fetched again.
			before := hits.Load()
			for _, u := range []string{lead, page, missing} {
				c.Fetch(ctx, u)
			}
			if hits.Load() != before {
				t.Errorf("refetched within a day: %d requests", hits.Load()-before)
			}
			// A day later the failures are retried, the stored image is not.
			now = now.Add(retryAfter + time.Minute)
			c.Fetch(ctx, page)
			c.Fetch(ctx, lead)
			if got := hits.Load() - before; got != 1 {
				t.Errorf("after a day: %d requests, want 1 (the failed one)", got)
			}
		})
	}
}

// TestWantRun: wanted images are fetched by Run's workers.
func TestWantRun(t *testing.T) {
	good := encoded(t, "jpeg", 700, 400)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(good)
	}))
	defer srv.Close()
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	d := testDBs(t)[0]
	c := New(d.db, fetch.New(opts), Options{})
	fetched := make(chan string, 2)
	c.afterFetch = func(u string) { fetched <- u }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	u := srv.URL + "/a.jpg"
	c.Want(u)
	c.Want(u) // a duplicate is dropped
	if got := <-fetched; got != u {
		t.Fatalf("fetched %s", got)
	}
	ready, err := c.Ready(context.Background(), []string{u})
	if err != nil || ready[u] == "" {
		t.Fatalf("wanted image not stored: %v, %v", ready, err)
	}
	cancel()
	<-done
}
