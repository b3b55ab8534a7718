package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
)

// fetchLog records which poller fetched each URL.
type fetchLog struct {
	mu sync.Mutex
	by map[string][]string
}

func (l *fetchLog) add(url, by string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.by[url] = append(l.by[url], by)
}

// clockGetter serves an empty RSS feed for any URL, logs the fetch under its
// name, and runs after (if set) once each fetch is done.
type clockGetter struct {
	log   *fetchLog
	name  string
	after func()
}

func (g *clockGetter) Get(ctx context.Context, url string, _ fetch.Conditional, _ int64) (*fetch.Response, error) {
	g.log.add(url, g.name)
	if g.after != nil {
		g.after()
	}
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>`
	return &fetch.Response{Status: 200, Body: []byte(body), ContentType: "application/rss+xml", FinalURL: url}, nil
}

// TestLeaseOutlastsQueue: two pollers share a database and one of them is
// slow, each fetch taking most of a lease. No feed may be fetched by both:
// a poller must not hold leases on feeds it has not started, since those
// leases run out in its queue and the other poller takes the feeds over
// while the first still means to poll them.
func TestLeaseOutlastsQueue(t *testing.T) {
	st := newStore(t)
	const feeds = 12
	for i := range feeds {
		addFeed(t, st, fmt.Sprintf("http://gazette.example/feed/%d.xml", i))
	}
	var mu sync.Mutex
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	opts := func(owner string) Options {
		o := DefaultOptions()
		// One worker each, so the fake clock's 40 s per fetch add up as
		// real fetches one after another would.
		o.Owner, o.FeedWorkers, o.Lease, o.Now, o.FetchPages = owner, 1, time.Minute, clock, false
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		return o
	}
	fetches := &fetchLog{by: map[string][]string{}}
	fast := NewPoller(st, &clockGetter{log: fetches, name: "fast"}, opts("fast"))
	ctx := context.Background()
	// Each of the slow poller's fetches takes 40 s of its 60 s lease; the
	// fast poller looks for due feeds after every one of them.
	slowGetter := &clockGetter{log: fetches, name: "slow", after: func() {
		mu.Lock()
		now = now.Add(40 * time.Second)
		mu.Unlock()
		if _, err := fast.PollDue(ctx); err != nil {
			t.Error(err)
		}
	}}
	slow := NewPoller(st, slowGetter, opts("slow"))
	for range feeds {
		if _, err := slow.PollDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	all, err := st.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for _, f := range all {
		got := fetches.by[f.URL]
		if len(got) != 1 {
			t.Errorf("%s fetched by %v, want once", f.URL, got)
		}
		for _, name := range got {
			by[name]++
		}
	}
	if by["slow"] == 0 || by["fast"] == 0 {
		t.Errorf("fetches by poller: %v; both should have polled", by)
	}
}

// pagesGetter serves a feed of n items on one host and their pages, and
// advances the fake clock on every page, as a site with a long Crawl-delay
// would make a real poll last.
type pagesGetter struct {
	log       *fetchLog
	name      string
	n         int
	afterPage func()
}

func (g *pagesGetter) Get(ctx context.Context, url string, _ fetch.Conditional, _ int64) (*fetch.Response, error) {
	g.log.add(url, g.name)
	if strings.HasSuffix(url, ".xml") {
		var items strings.Builder
		for i := range g.n {
			fmt.Fprintf(&items, "<item><title>Item %d</title><link>http://slow.example/a/%d</link><description>Text %d.</description></item>", i, i, i)
		}
		body := `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>` + items.String() + `</channel></rss>`
		return &fetch.Response{Status: 200, Body: []byte(body), ContentType: "application/rss+xml", FinalURL: url}, nil
	}
	if g.afterPage != nil {
		g.afterPage()
	}
	page := "<html><head><title>Page</title></head><body><article><p>" + strings.Repeat("Words of the article. ", 40) + "</p></article></body></html>"
	return &fetch.Response{Status: 200, Body: []byte(page), ContentType: "text/html", FinalURL: url}, nil
}

// TestLeaseRenewedDuringLongPoll: one feed whose new pages take four leases
// to fetch. The poller renews its lease as it goes, so a second poller
// looking for due feeds after every page never takes the feed over.
func TestLeaseRenewedDuringLongPoll(t *testing.T) {
	st := newStore(t)
	addFeed(t, st, "http://slow.example/feed.xml")
	var mu sync.Mutex
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	opts := func(owner string) Options {
		o := DefaultOptions()
		o.Owner, o.FeedWorkers, o.PageWorkers, o.Lease, o.Now = owner, 1, 1, time.Minute, clock
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		return o
	}
	fetches := &fetchLog{by: map[string][]string{}}
	other := NewPoller(st, &pagesGetter{log: fetches, name: "other"}, opts("other"))
	ctx := context.Background()
	slow := NewPoller(st, &pagesGetter{log: fetches, name: "slow", n: 12, afterPage: func() {
		mu.Lock()
		now = now.Add(20 * time.Second) // 12 pages: 4 minutes, four 1-minute leases
		mu.Unlock()
		if _, err := other.PollDue(ctx); err != nil {
			t.Error(err)
		}
	}}, opts("slow"))
	if _, err := slow.PollDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fetches.by["http://slow.example/feed.xml"]; len(got) != 1 {
		t.Errorf("feed fetched by %v, want once by the poller holding it", got)
	}
	if n := countArticles(t, st); n != 12 {
		t.Errorf("%d articles, want 12", n)
	}
}
