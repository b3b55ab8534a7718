package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
)

// TestOutletNamedFromFeedOrPage: an outlet named after its host takes the
// feed's title, else the page's og:site_name; an operator's name stays.
func TestOutletNamedFromFeedOrPage(t *testing.T) {
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>%s/</link>
<item><title>Bridge reopens after a week of repairs</title><link>%s/a1</link><guid>a1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`
	const page = `<!doctype html><html><head><title>Bridge reopens</title><meta property="og:site_name" content="The Sample Courier"></head>
<body><article><h1>Bridge reopens after a week of repairs</h1><p>The bridge on the coast road reopened on Monday after a week of repairs, the council said, and traffic returned to normal by the evening rush.</p>
<p>Engineers replaced two joints and resurfaced the deck. The council thanked drivers for their patience during the works.</p></article></body></html>`
	tests := []struct {
		name, feedTitle, sourceName, want string
	}{
		{"feed title", "Sample Courier - Local news", "", "Sample Courier"},
		{"og:site_name when the feed has no title", "", "", "The Sample Courier"},
		{"operator name kept", "Sample Courier", "Courier (operator)", "Courier (operator)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/feed.xml":
					fmt.Fprintf(w, rss, tt.feedTitle, srv.URL, srv.URL)
				case "/a1":
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, page)
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			st := newStore(t)
			ctx := context.Background()
			u, _ := url.Parse(srv.URL)
			name := tt.sourceName
			if name == "" {
				name = u.Hostname() // what `feeds add` does without --name
			}
			f, _, err := st.AddFeed(ctx, model.Feed{URL: srv.URL + "/feed.xml", Source: model.Source{Name: name, HomeURL: srv.URL + "/"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := testPoller(st, time.Second).PollFeed(ctx, f); err != nil {
				t.Fatal(err)
			}
			if got := feedState(t, st, f.URL).Source.Name; got != tt.want {
				t.Errorf("outlet name = %q, want %q", got, tt.want)
			}
		})
	}
}
