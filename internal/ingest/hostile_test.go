package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"golang.org/x/text/encoding/charmap"
)

// pollerAt is testPoller with a fixed clock and, when set, options changed.
func pollerAt(st store.Store, now time.Time, change func(*Options)) *Poller {
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	po := DefaultOptions()
	po.Now = func() time.Time { return now }
	if change != nil {
		change(&po)
	}
	return NewPoller(st, fetch.New(opts), po)
}

func allArticles(t *testing.T, st store.Store) []model.Article {
	t.Helper()
	var out []model.Article
	q := store.ArticleQuery{Limit: 200}
	for {
		page, next, err := st.Articles(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if next == "" {
			return out
		}
		q.Cursor = next
	}
}

func rssItem(title, link, guid, date, desc string) string {
	return fmt.Sprintf("<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>",
		title, link, guid, date, desc)
}

func rss(items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>` + strings.Join(items, "") + `</channel></rss>`
}

const articleHTML = `<html><body><article><h1>Harbour bridge reopens</h1><p>The harbour bridge reopened to lorries on Friday after eleven weeks of repairs to its corroded cables, the council said.</p><p>Residents had asked for a ferry while the work went on.</p></article></body></html>`

// TestFutureDatesClamped: items dated in the future (9999, 2099, 2038, an
// hour ahead) are stored as published at the fetch time, so they cannot
// take the top of every list; a plausible past date is kept.
func TestFutureDatesClamped(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	past := time.Date(2026, 11, 19, 8, 30, 0, 0, time.UTC)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r) // the feed's text stands
			return
		}
		fmt.Fprint(w, rss(
			rssItem("Far", srv.URL+"/a/9999", "y9999", "Fri, 31 Dec 9999 23:59:59 +0000", "Dated 9999."),
			rssItem("Later", srv.URL+"/a/2099", "y2099", "Thu, 01 Jan 2099 00:00:00 +0000", "Dated 2099."),
			rssItem("Epoch", srv.URL+"/a/2038", "y2038", "Tue, 19 Jan 2038 03:14:08 +0000", "Dated 2038."),
			rssItem("Soon", srv.URL+"/a/hour", "hour", now.Add(time.Hour).Format(time.RFC1123Z), "An hour ahead."),
			rssItem("Zero", srv.URL+"/a/zero", "zero", "Thu, 01 Jan 1970 00:00:00 +0000", "Dated 1970."),
			rssItem("Past", srv.URL+"/a/past", "past", past.Format(time.RFC1123Z), "Yesterday."),
		))
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	if n, err := pollerAt(st, now, nil).PollFeed(context.Background(), f); err != nil || n != 6 {
		t.Fatalf("poll: %d, %v", n, err)
	}
	for _, a := range allArticles(t, st) {
		want := now
		if a.GUID == "past" {
			want = past
		}
		if !a.Published.Equal(want) {
			t.Errorf("%s: published %v, want %v", a.GUID, a.Published, want)
		}
	}
}

// TestImportClampsFutureDates: `dateline import` goes through the same rule.
func TestImportClampsFutureDates(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	st := newStore(t)
	in := `{"id":"f1","title":"Far","text":"Dated 2099.","published":"2099-01-01T00:00:00Z","source":"Gazette","url":"https://gazette.example/f1"}
{"id":"p1","title":"Past","text":"Dated 2021.","published":"2021-07-16T16:32:46Z","source":"Gazette","url":"https://gazette.example/p1"}
{"id":"t1","title":"` + strings.Repeat("Long title ", 500) + `","text":"Long.","published":"2021-07-16","source":"Gazette","url":"https://gazette.example/t1"}`
	if _, err := Import(context.Background(), st, strings.NewReader(in), now); err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Article{}
	for _, a := range allArticles(t, st) {
		got[a.GUID] = a
	}
	if !got["f1"].Published.Equal(now) {
		t.Errorf("future: published %v, want %v", got["f1"].Published, now)
	}
	if want := time.Date(2021, 7, 16, 16, 32, 46, 0, time.UTC); !got["p1"].Published.Equal(want) {
		t.Errorf("past: published %v, want %v", got["p1"].Published, want)
	}
	if n := utf8.RuneCountInString(got["t1"].Title); n != MaxTitleLen {
		t.Errorf("imported title of %d characters, want it cut to %d", n, MaxTitleLen)
	}
}

// TestBinaryLinks: an item whose link serves a PDF, an image, a download or
// a binary file labelled text/html keeps the feed's text; none of the bytes
// are stored, and an HTML page on the same feed is still extracted.
func TestBinaryLinks(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nstream\n\x00\x9c\xff\xfe binary\nendstream\n")
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	blob := []byte("\x00\x01\x02\x03 raw download \xff\xfe\xfd")
	pages := map[string]struct {
		ctype string
		body  []byte
	}{
		"/doc.pdf":  {"application/pdf", pdf},
		"/img.png":  {"image/png", png},
		"/download": {"application/octet-stream", blob},
		"/lying":    {"text/html; charset=utf-8", pdf},
		"/untyped":  {"", pdf},
		"/story":    {"text/html", []byte(articleHTML)},
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			var items []string
			for path := range pages {
				items = append(items, rssItem("Item "+path, srv.URL+path, path, "Fri, 20 Nov 2026 09:00:00 +0000", "Feed text for "+path+"."))
			}
			fmt.Fprint(w, rss(items...))
			return
		}
		pg, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header()["Content-Type"] = []string{pg.ctype} // set even when empty: no sniffing by the server
		w.Write(pg.body)
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	if n, err := testPoller(st, time.Minute).PollFeed(context.Background(), f); err != nil || n != len(pages) {
		t.Fatalf("poll: %d, %v", n, err)
	}
	for _, a := range allArticles(t, st) {
		want := "Feed text for " + a.GUID + "."
		if a.GUID == "/story" {
			want = "eleven weeks of repairs"
		}
		if !strings.Contains(a.Text, want) || strings.Contains(a.Text, "PDF") || strings.Contains(a.Text, "PNG") ||
			strings.ContainsRune(a.Text, 0) || !utf8.ValidString(a.Text) {
			t.Errorf("%s: stored text %q, want %q", a.GUID, a.Text, want)
		}
	}
}

// TestHtmlPage: which declared types and bodies count as an HTML page.
func TestHtmlPage(t *testing.T) {
	html := []byte("<!doctype html><html><body><p>Hi</p></body></html>")
	tests := []struct {
		ctype string
		body  []byte
		ok    bool
	}{
		{"text/html; charset=utf-8", html, true},
		{"application/xhtml+xml", []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi</p></body></html>`), true},
		{"text/html", []byte("Just text, no tags at the start <p>then some</p>"), true},
		{"", html, true},
		{"application/octet-stream", html, true},
		{"text/plain", []byte("plain words"), false},
		{"text/html", []byte("%PDF-1.4\n"), false},
		{"text/html", []byte("\x89PNG\r\n\x1a\n\x00\x00"), false},
		{"application/pdf", html, false},
		{"image/jpeg", []byte("\xff\xd8\xff\xe0"), false},
		{"video/mp4", html, false},
		{"", []byte("\x00\x01\x02"), false},
	}
	for _, tt := range tests {
		if err := htmlPage(tt.ctype, tt.body); (err == nil) != tt.ok {
			t.Errorf("htmlPage(%q, %q) = %v, want ok=%v", tt.ctype, tt.body, err, tt.ok)
		} else if err != nil && !errors.Is(err, ErrNotHTML) {
			t.Errorf("htmlPage(%q): error %v does not wrap ErrNotHTML", tt.ctype, err)
		}
	}
}

// TestRetryAfterHonoured: a 429 or 503 with Retry-After (seconds or an HTTP
// date) is not polled again before it, up to MaxRetryAfter; other statuses'
// Retry-After and a shorter hint than the backoff change nothing.
func TestRetryAfterHonoured(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	date := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat) // fetch compares dates with the real clock
	tests := []struct {
		name     string
		code     int
		value    string
		min, max time.Duration // NextPoll - now
	}{
		{"429 seconds", 429, "3600", time.Hour, time.Hour},
		{"503 seconds", 503, "7200", 2 * time.Hour, 2 * time.Hour},
		{"429 date", 429, date, 2*time.Hour - time.Minute, 2 * time.Hour},
		{"absurd capped", 503, "999999999999", MaxRetryAfter, MaxRetryAfter},
		{"short hint, backoff stands", 429, "5", 27 * time.Minute, 33 * time.Minute},
		{"ignored on 500", 500, "86400", 27 * time.Minute, 33 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tt.value)
				w.WriteHeader(tt.code)
			}))
			defer srv.Close()
			st := newStore(t)
			f := addFeed(t, st, srv.URL+"/feed.xml")
			if _, err := pollerAt(st, now, nil).PollFeed(context.Background(), f); err == nil {
				t.Fatal("no error")
			}
			got := feedState(t, st, f.URL).NextPoll.Sub(now)
			if got < tt.min || got > tt.max {
				t.Errorf("next poll in %s, want %s..%s", got, tt.min, tt.max)
			}
		})
	}
}

// TestValidators: an oversized ETag or Last-Modified is not stored, and a
// conditional request answered 4xx drops the stored validators so the next
// poll asks unconditionally and succeeds.
func TestValidators(t *testing.T) {
	var srv *httptest.Server
	var conditional atomic.Int32
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge.xml":
			w.Header().Set("ETag", `"`+strings.Repeat("e", 200<<10)+`"`)
			w.Header().Set("Last-Modified", strings.Repeat("m", 1000))
			fmt.Fprintf(w, goodRSS, srv.URL)
		case "/picky.xml":
			if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
				conditional.Add(1)
				w.WriteHeader(http.StatusRequestHeaderFieldsTooLarge)
				return
			}
			w.Header().Set("ETag", `"short"`)
			fmt.Fprintf(w, goodRSS, srv.URL)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	st := newStore(t)
	ctx := context.Background()
	p := testPoller(st, time.Minute)

	huge := addFeed(t, st, srv.URL+"/huge.xml")
	if _, err := p.PollFeed(ctx, huge); err != nil {
		t.Fatal(err)
	}
	if got := feedState(t, st, huge.URL); got.ETag != "" || got.LastModified != "" {
		t.Errorf("oversized validators stored: %d and %d bytes", len(got.ETag), len(got.LastModified))
	}
	// One stored before the cap existed is not sent: the feed is fetched whole.
	src, err := st.UpsertSource(ctx, model.Source{Name: "Gazette"})
	if err != nil {
		t.Fatal(err)
	}
	old, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: srv.URL + "/picky.xml?old", ETag: `"` + strings.Repeat("e", 200<<10) + `"`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollFeed(ctx, old); err != nil || conditional.Load() != 0 {
		t.Fatalf("feed with an old oversized ETag: %v, %d conditional requests", err, conditional.Load())
	}
	if got := feedState(t, st, old.URL); got.ETag != `"short"` {
		t.Errorf("after the unconditional poll: ETag %q", got.ETag)
	}

	picky, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: srv.URL + "/picky.xml", ETag: `"stale-and-refused"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollFeed(ctx, picky); err == nil {
		t.Fatal("431 polled without error")
	}
	got := feedState(t, st, picky.URL)
	if conditional.Load() != 1 || got.ETag != "" || got.LastModified != "" || !strings.Contains(got.LastError, "431") {
		t.Fatalf("after 431: %d conditional requests, feed %+v", conditional.Load(), got)
	}
	if _, err := p.PollFeed(ctx, got); err != nil { // its one item was stored from the other feed
		t.Fatalf("unconditional poll: %v", err)
	}
	if got := feedState(t, st, picky.URL); got.ETag != `"short"` || got.LastError != "" {
		t.Errorf("after recovery: %+v", got)
	}
}

// TestGoneFeedRetired: a 410 retires a feed at once; a 404 only once it has
// lasted GoneAfter over at least GoneAfterPolls polls, and a success in
// between starts the count again. A retired feed is kept, listed as
// retired, and never leased or fetched again.
func TestGoneFeedRetired(t *testing.T) {
	var hits atomic.Int32
	var status atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		if c := int(status.Load()); c != 200 {
			http.Error(w, "no", c)
			return
		}
		fmt.Fprintf(w, goodRSS, srv.URL)
	}))
	defer srv.Close()
	st := newStore(t)
	ctx := context.Background()
	f := addFeed(t, st, srv.URL+"/feed.xml")
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	poll := func(at time.Time, code int) model.Feed {
		t.Helper()
		status.Store(int32(code))
		pf := feedState(t, st, f.URL)
		pollerAt(st, at, nil).PollFeed(ctx, pf)
		return feedState(t, st, f.URL)
	}
	steps := []struct {
		after   time.Duration
		code    int
		retired bool
	}{
		{0, 404, false},
		{2 * time.Hour, 404, false},
		{20 * time.Hour, 200, false}, // back: the run of failures ends
		{21 * time.Hour, 404, false}, // a new run begins
		{30 * time.Hour, 404, false},
		{44 * time.Hour, 404, false}, // third 404, but 23h into the run
		{46 * time.Hour, 404, true},  // 25h into the run, fourth 404 in a row
	}
	for i, s := range steps {
		got := poll(t0.Add(s.after), s.code)
		if (!got.Retired.IsZero()) != s.retired {
			t.Fatalf("step %d (%d at +%s): retired = %v, want %v (feed %+v)", i, s.code, s.after, got.Retired, s.retired, got)
		}
	}
	got := feedState(t, st, f.URL)
	if !strings.Contains(got.LastError, "retired") || got.Articles != 1 {
		t.Fatalf("retired feed: %+v", got)
	}
	before := hits.Load()
	n, err := pollerAt(st, t0.Add(90*24*time.Hour), nil).PollDue(ctx)
	if err != nil || n != 0 || hits.Load() != before {
		t.Fatalf("retired feed polled: %d polled, %v, %d requests", n, err, hits.Load()-before)
	}

	// 410: at once.
	g := addFeed(t, st, srv.URL+"/feed.xml?gone")
	status.Store(http.StatusGone)
	if _, err := pollerAt(st, t0, nil).PollFeed(ctx, g); err == nil {
		t.Fatal("410 without error")
	}
	if got := feedState(t, st, g.URL); got.Retired.IsZero() || got.LastStatus != 410 {
		t.Fatalf("410 not retired: %+v", got)
	}
}

// failingStore fails HasArticle for one URL once the page of another is
// being fetched, and logs inserts and feed saves in order.
type failingStore struct {
	store.Store
	failURL     string
	pageStarted chan struct{}
	saved       chan struct{}
	saveOnce    sync.Once
	inserted    chan struct{}
	mu          sync.Mutex
	events      []string
}

func (s *failingStore) HasArticle(ctx context.Context, sourceID int64, url, guid string) (bool, error) {
	if strings.HasSuffix(url, s.failURL) {
		<-s.pageStarted
		return false, errors.New("database is locked")
	}
	return s.Store.HasArticle(ctx, sourceID, url, guid)
}

func (s *failingStore) InsertArticle(ctx context.Context, a *model.Article) (bool, error) {
	defer close(s.inserted) // one article is inserted in this test
	s.log("insert " + a.GUID)
	return s.Store.InsertArticle(ctx, a)
}

func (s *failingStore) SaveFeedState(ctx context.Context, f model.Feed) error {
	s.log("save feed")
	s.saveOnce.Do(func() { close(s.saved) })
	return s.Store.SaveFeedState(ctx, f)
}

func (s *failingStore) log(e string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
}

// TestStoreItemsWaitsForPages: when storage fails half-way through a feed,
// PollFeed still returns only after the page it had started is finished and
// its article stored (from the feed's text, the page being cancelled), so
// the feed's state is saved and its lease released last, and the error is
// returned. The page's server holds its answer until the feed's state is
// saved or the request is cancelled: a poller that saved first stores the
// article after the save.
func TestStoreItemsWaitsForPages(t *testing.T) {
	fs := &failingStore{failURL: "/a/second", pageStarted: make(chan struct{}), saved: make(chan struct{}), inserted: make(chan struct{})}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			fmt.Fprint(w, rss(
				rssItem("First", srv.URL+"/a/first", "first", "Fri, 20 Nov 2026 09:00:00 +0000", "First from the feed."),
				rssItem("Second", srv.URL+"/a/second", "second", "Fri, 20 Nov 2026 09:00:00 +0000", "Second from the feed."),
			))
		case "/a/first":
			close(fs.pageStarted)
			select {
			case <-fs.saved:
			case <-r.Context().Done():
			}
			fmt.Fprint(w, articleHTML)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	fs.Store = newStore(t)
	f := addFeed(t, fs, srv.URL+"/feed.xml")
	_, err := testPoller(fs, time.Minute).PollFeed(context.Background(), f)
	if err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("error %v, want the lookup failure", err)
	}
	// A poller that returned early stores the article only once the save
	// let the page through; wait for it so the order below is final.
	<-fs.inserted
	fs.mu.Lock()
	events := slices.Clone(fs.events)
	fs.mu.Unlock()
	if want := []string{"insert first", "save feed"}; !slices.Equal(events, want) {
		t.Fatalf("events %v, want %v: the feed was saved (lease released) while a page was in flight", events, want)
	}
	got := feedState(t, fs, f.URL)
	if !strings.Contains(got.LastError, "database is locked") || got.ETag != "" {
		t.Errorf("feed state %+v", got)
	}
	arts := allArticles(t, fs)
	if len(arts) != 1 || !strings.Contains(arts[0].Text, "First from the feed") {
		t.Errorf("articles %+v", arts)
	}
}

// TestTenThousandItems: a feed of 10,000 items is stored MaxNewPerPoll at a
// time in feed order, each poll scheduling the next MinInterval later and
// keeping no validator (so the next poll is not answered 304); two polls
// show the progress, each the next slice with none skipped or repeated.
func TestTenThousandItems(t *testing.T) {
	const total = 10_000
	var body strings.Builder
	body.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>`)
	for i := range total {
		fmt.Fprintf(&body, "<item><title>Item %d</title><link>https://flood.example/a/%d</link><guid>g%d</guid><description>Item %d text.</description></item>", i, i, i, i)
	}
	body.WriteString(`</channel></rss>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"flood"`)
		fmt.Fprint(w, body.String())
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for poll := 1; poll <= 2; poll++ {
		p := pollerAt(st, now, func(o *Options) { o.FetchPages = false })
		n, err := p.PollFeed(context.Background(), feedState(t, st, f.URL))
		if err != nil {
			t.Fatal(err)
		}
		got := feedState(t, st, f.URL)
		if n != MaxNewPerPoll || !got.NextPoll.Equal(now.Add(time.Minute)) || got.ETag != "" || got.LastError != "" {
			t.Fatalf("poll %d: %d new, next poll %v, etag %q, error %q; want %d, in a minute, none, none",
				poll, n, got.NextPoll, got.ETag, got.LastError, MaxNewPerPoll)
		}
		now = got.NextPoll
	}
	want := map[string]bool{}
	for i := range 2 * MaxNewPerPoll {
		want[fmt.Sprintf("g%d", i)] = true
	}
	arts := allArticles(t, st)
	for _, a := range arts {
		if !want[a.GUID] {
			t.Errorf("stored %s out of feed order", a.GUID)
		}
		delete(want, a.GUID)
	}
	if len(arts) != 2*MaxNewPerPoll || len(want) != 0 {
		t.Fatalf("%d stored, %d of the first %d missing", len(arts), len(want), 2*MaxNewPerPoll)
	}
}

// TestWrongEncodings: a Windows-1251 feed and pages, unlabelled, labelled
// only in the HTTP header, or mislabelled ISO-8859-1 (a server default), are
// stored as the Cyrillic they are, through the real fetcher and extractor.
func TestWrongEncodings(t *testing.T) {
	const (
		title = "Правительство объявило о новых мерах"
		para  = "Правительство объявило о новых мерах поддержки малого бизнеса в регионах страны. Министр заявил, что программа начнёт работать в январе, а заявки будут принимать до конца весны."
	)
	cp1251 := func(s string) []byte {
		b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	page := cp1251("<html><head><title>" + title + "</title></head><body><article><h1>" + title + "</h1><p>" + para + "</p><p>" + para + "</p></article></body></html>")
	headers := map[string]string{
		"/unlabelled":  "text/html",
		"/header-only": "text/html; charset=windows-1251",
		"/mislabelled": "text/html; charset=iso-8859-1",
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			var items []string
			for path := range headers {
				items = append(items, rssItem(title, srv.URL+path, path, "Fri, 20 Nov 2026 09:00:00 +0000", "Кратко."))
			}
			w.Header().Set("Content-Type", "text/xml; charset=iso-8859-1")
			w.Write(cp1251(`<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title>` + strings.Join(items, "") + `</channel></rss>`))
			return
		}
		ct, ok := headers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write(page)
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	if n, err := testPoller(st, time.Minute).PollFeed(context.Background(), f); err != nil || n != len(headers) {
		t.Fatalf("poll: %d, %v", n, err)
	}
	if got := feedState(t, st, f.URL).Title; got != "Новости" {
		t.Errorf("feed title %q", got)
	}
	for _, a := range allArticles(t, st) {
		if a.Title != title || !strings.Contains(a.Text, "программа начнёт работать") {
			t.Errorf("%s: title %q, text %.60q", a.GUID, a.Title, a.Text)
		}
	}
}

// TestHugeStrings: a 100 KB title, author and GUID are capped before they
// are stored; the item is stored and found again on the next poll.
func TestHugeStrings(t *testing.T) {
	huge := strings.Repeat("Долгий заголовок ", 6000) // about 100 KB
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>`+huge+`</title>`+
			`<item><title>`+huge+`</title><dc:creator>`+huge+`</dc:creator><link>`+srv.URL+`/a/1</link><guid>`+huge+`</guid><description>Text.</description></item></channel></rss>`)
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	p := testPoller(st, time.Minute)
	for poll, want := range []int{1, 0} {
		if n, err := p.PollFeed(context.Background(), feedState(t, st, f.URL)); err != nil || n != want {
			t.Fatalf("poll %d: %d new, %v; want %d", poll, n, err, want)
		}
	}
	arts := allArticles(t, st)
	if len(arts) != 1 {
		t.Fatalf("%d articles", len(arts))
	}
	a := arts[0]
	if n := utf8.RuneCountInString(a.Title); n != MaxTitleLen || !strings.HasSuffix(a.Title, "…") {
		t.Errorf("title of %d characters", n)
	}
	if n := utf8.RuneCountInString(a.Author); n > MaxAuthorLen {
		t.Errorf("author of %d characters", n)
	}
	if len(a.GUID) > MaxGUIDLen {
		t.Errorf("GUID of %d bytes", len(a.GUID))
	}
	if n := utf8.RuneCountInString(feedState(t, st, f.URL).Title); n > MaxTitleLen {
		t.Errorf("feed title of %d characters", n)
	}
}

// TestHugeBody: an item carrying megabytes of text is stored cut to
// MaxTextBytes at a paragraph break and its HTML to MaxHTMLBytes, still
// valid UTF-8.
func TestHugeBody(t *testing.T) {
	para := "<p>" + strings.Repeat("Длинный абзац текста. ", 50) + "</p>"
	body := strings.Repeat(para, (3<<20)/len(para))
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, rss(rssItem("Huge", srv.URL+"/a/1", "huge", "Fri, 20 Nov 2026 09:00:00 +0000", "<![CDATA["+body+"]]>")))
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	if n, err := testPoller(st, time.Minute).PollFeed(context.Background(), f); err != nil || n != 1 {
		t.Fatalf("poll: %d, %v", n, err)
	}
	a := allArticles(t, st)[0]
	if len(a.Text) > MaxTextBytes || len(a.Text) < MaxTextBytes/2 || !utf8.ValidString(a.Text) || !strings.HasSuffix(a.Text, "текста.") {
		t.Errorf("text of %d bytes ending %q", len(a.Text), a.Text[max(0, len(a.Text)-20):])
	}
	if len(a.HTML) > MaxHTMLBytes+64 || len(a.HTML) < MaxHTMLBytes/2 || !utf8.ValidString(a.HTML) || !strings.HasSuffix(a.HTML, "</p>") {
		t.Errorf("HTML of %d bytes ending %q", len(a.HTML), a.HTML[max(0, len(a.HTML)-20):])
	}
}

func TestCutText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abcdef", 4, "abcd"},
		{"ab\ncdefgh", 6, "ab\ncde"}, // the break is in the first half: cut at the character
		{"abcd\nefgh", 7, "abcd"},
		{"aaaé", 4, "aaa"}, // é is two bytes: not split
		{"aaa€", 5, "aaa"}, // € is three
		{"aaa€b", 6, "aaa€"},
		{"пр", 3, "п"},
	}
	for _, tt := range tests {
		if got := cutText(tt.in, tt.n); got != tt.want {
			t.Errorf("cutText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestHangingPages: a feed whose article pages never answer costs at most
// MaxPageTimeouts page timeouts (plus those already queued for the host)
// per poll; every item is stored from the feed's text and the feed stays
// healthy, since its feed answered.
func TestHangingPages(t *testing.T) {
	const items = 20
	var pageRequests atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/feed.xml":
			var its []string
			for i := range items {
				its = append(its, rssItem(fmt.Sprintf("Item %d", i), fmt.Sprintf("%s/p/%d", srv.URL, i), fmt.Sprint(i), "Fri, 20 Nov 2026 09:00:00 +0000", "Feed text."))
			}
			fmt.Fprint(w, rss(its...))
		case strings.HasPrefix(r.URL.Path, "/p/"):
			pageRequests.Add(1)
			<-r.Context().Done() // only the client's timeout ends it
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	st := newStore(t)
	f := addFeed(t, st, srv.URL+"/feed.xml")
	p := testPoller(st, 500*time.Millisecond)
	if n, err := p.PollFeed(context.Background(), f); err != nil || n != items {
		t.Fatalf("poll: %d, %v", n, err)
	}
	if got, most := pageRequests.Load(), int32(MaxPageTimeouts+p.opts.PageWorkers-1); got < MaxPageTimeouts || got > most {
		t.Errorf("%d page requests, want %d to %d", got, MaxPageTimeouts, most)
	}
	for _, a := range allArticles(t, st) {
		if a.Text != "Feed text." {
			t.Errorf("%s: text %q", a.GUID, a.Text)
		}
	}
	if got := feedState(t, st, f.URL); got.LastError != "" {
		t.Errorf("feed marked failing: %q", got.LastError)
	}
}
