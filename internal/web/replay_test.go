package web

import (
	"context"
	"database/sql"
	"fmt"
	"image/color"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/ingest"
	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/sqlite"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

// outletSite is one publisher of the replay, on its own loopback address so
// `feeds add` would name it after that address.
type outletSite struct {
	ip, feedTitle, siteName, country, lang string
	enclosure                              bool // the feed carries the image (else the page's og:image)
	items                                  []string
	future                                 bool // its one item is dated in the year 9999
}

const replayText = `<p>The harbour authority closed the northern quay on Monday after a crane collapsed during the morning shift, officials said.</p>
<p>Ships bound for the northern quay were sent to other ports while engineers inspected the crane and the quay wall.</p>
<p>The authority said the quay would stay closed for at least a week and that nobody was hurt when the crane fell.</p>`

func startOutlet(t *testing.T, o outletSite, img []byte, now time.Time) string {
	t.Helper()
	ln, err := net.Listen("tcp", o.ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", o.ip, err)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Listener.Close()
	srv.Listener = ln
	base := "http://" + ln.Addr().String()
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/feed.xml":
			var b strings.Builder
			fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>%s/</link>`, o.feedTitle, base)
			for i, title := range o.items {
				pub := now.Add(-time.Duration(i+1) * time.Hour)
				if o.future {
					pub = time.Date(9999, 12, 31, 12, 0, 0, 0, time.UTC)
				}
				fmt.Fprintf(&b, `<item><title>%s</title><link>%s/a/%d</link><guid>%s/a/%d</guid><pubDate>%s</pubDate>`, title, base, i, base, i, pub.Format(time.RFC1123Z))
				if o.enclosure {
					fmt.Fprintf(&b, `<enclosure url="%s/img/%d.png" type="image/png" length="%d"/>`, base, i, len(img))
				}
				b.WriteString(`</item>`)
			}
			b.WriteString(`</channel></rss>`)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(b.String()))
		case strings.HasPrefix(r.URL.Path, "/a/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			meta := ""
			if o.siteName != "" {
				meta += `<meta property="og:site_name" content="` + o.siteName + `">`
			}
			if !o.enclosure {
				meta += `<meta property="og:image" content="/img/` + strings.TrimPrefix(r.URL.Path, "/a/") + `.png">`
			}
			fmt.Fprintf(w, `<!doctype html><html lang="%s"><head><title>%s</title>%s</head><body><article><h1>%s</h1>%s</article></body></html>`,
				o.lang, o.items[0], meta, o.items[0], replayText)
		case strings.HasPrefix(r.URL.Path, "/img/"):
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
		default:
			http.NotFound(w, r)
		}
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return base
}

// TestReplayThroughPolling is the acceptance test: outlets with a
// feed title, og:site_name and og:image or an RSS enclosure are polled,
// grouped and shown on the front page with their names, a lead story with
// its image served by Dateline, editions by country and language, and no
// future-dated item above today's news; on both backends.
func TestReplayThroughPolling(t *testing.T) {
	type backend struct {
		name string
		st   store.Store
		pg   bool
	}
	sq, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "replay.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	backends := []backend{{"sqlite", sq, false}}
	if os.Getenv(storetest.PostgresEnv) != "" || os.Getenv("CI") == "true" {
		pg, err := postgres.Open(context.Background(), storetest.FreshPostgres(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		backends = append(backends, backend{"postgres", pg, true})
	} else {
		t.Logf("%s not set: PostgreSQL run skipped", storetest.PostgresEnv)
	}
	now := time.Now().UTC().Truncate(time.Second)
	img := pngOf(t, 960, 540, color.RGBA{40, 100, 150, 255})
	outlets := []outletSite{
		{ip: "127.0.0.57", feedTitle: "The Sample Courier - Top Stories", siteName: "The Sample Courier", country: "GB", lang: "en",
			items: []string{"Crane collapse closes the northern harbour - The Sample Courier"}},
		{ip: "127.0.0.58", feedTitle: "Daily Sample", siteName: "Daily Sample", country: "US", lang: "en", enclosure: true,
			items: []string{"Crane collapse shuts the northern harbour quay"}},
		{ip: "127.0.0.59", feedTitle: "", siteName: "Le Journal Exemple", country: "FR", lang: "fr",
			items: []string{"Harbour quay closed after crane collapse"}},
		{ip: "127.0.0.60", feedTitle: "Sample Wire", siteName: "Sample Wire", country: "US", lang: "en", future: true,
			items: []string{"Council publishes its agenda for the coming week"}},
	}
	var bases []string
	for _, o := range outlets {
		bases = append(bases, startOutlet(t, o, img, now))
	}

	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			for i, o := range outlets {
				// As `feeds add URL --country --language` does: named after the host.
				_, _, err := b.st.AddFeed(ctx, model.Feed{URL: bases[i] + "/feed.xml",
					Source: model.Source{Name: o.ip, HomeURL: bases[i] + "/", Country: o.country, Language: o.lang}})
				if err != nil {
					t.Fatal(err)
				}
			}
			fo := fetch.DefaultOptions()
			fo.AllowPrivate, fo.PerHostInterval = true, -1
			client := fetch.New(fo)
			images := media.New(b.st.(interface{ DB() *sql.DB }).DB(), client, media.Options{Postgres: b.pg})
			var wanted []string
			po := ingest.DefaultOptions()
			po.Logger = slog.New(slog.DiscardHandler)
			po.OnStored = func(a model.Article) { wanted = append(wanted, a.Image) }
			// OnStored runs under the poller's own lock and feeds are polled one by one.
			poller := ingest.NewPoller(b.st, client, po)
			feeds, err := b.st.Feeds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range feeds {
				if _, err := poller.PollFeed(ctx, f); err != nil {
					t.Fatalf("poll %s: %v", f.URL, err)
				}
			}
			for _, u := range wanted {
				if err := images.Fetch(ctx, u); err != nil {
					t.Errorf("image %s: %v", u, err)
				}
			}
			g, err := ingest.NewGrouper(ctx, b.st, po.Logger, func() time.Time { return now })
			if err != nil {
				t.Fatal(err)
			}
			if _, err := g.Step(ctx, 100); err != nil {
				t.Fatal(err)
			}
			h := New(b.st, Options{Images: images, CacheTTL: -1, Now: func() time.Time { return now }})
			get := func(path string) string {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != 200 {
					t.Fatalf("GET %s: %d", path, rec.Code)
				}
				return rec.Body.String()
			}
			front := get("/")
			lead := front[strings.Index(front, `<section class="lead-story"`):]
			lead = lead[:strings.Index(lead, "</section>")]
			// The event's headline is whichever report's title best covers it.
			for _, want := range []string{"crane collapse", `<img class="thumb" src="/img/`, "3 outlets"} {
				if !strings.Contains(strings.ToLower(lead), strings.ToLower(want)) {
					t.Errorf("lead story lacks %q:\n%s", want, lead)
				}
			}
			for _, name := range []string{"The Sample Courier", "Daily Sample", "Le Journal Exemple"} {
				if !strings.Contains(front, name) {
					t.Errorf("front page does not name %s", name)
				}
			}
			for _, bad := range []string{"127.0.0.5", "127.0.0.60", "- The Sample Courier"} {
				if strings.Contains(front, bad) {
					t.Errorf("front page shows %q", bad)
				}
			}
			// The item dated 9999 was clamped to its fetch time at ingest: no
			// time on the page lies in the future, and one outlet's item stays
			// below the story three outlets covered.
			for _, m := range regexp.MustCompile(`datetime="([^"]+)"`).FindAllStringSubmatch(front, -1) {
				if at, err := time.Parse(time.RFC3339, m[1]); err != nil || at.After(time.Now().Add(time.Minute)) {
					t.Errorf("front page shows time %s (%v)", m[1], err)
				}
			}
			crane := strings.Index(strings.ToLower(front), "crane collapse")
			if strings.Index(front, "Council publishes") < crane {
				t.Error("the future-dated item is above today's news")
			}
			fr := get("/?country=FR")
			if !strings.Contains(strings.ToLower(fr), "crane collapse") || strings.Contains(fr, "Council publishes") {
				t.Error("FR edition wrong")
			}
			if en := get("/?lang=en"); !strings.Contains(en, "Council publishes") {
				t.Error("English edition lacks an English outlet's story")
			}
		})
	}
}
