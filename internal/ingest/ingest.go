// Package ingest is Dateline's pipeline from subscriptions to stored
// articles: lease due feeds, fetch and parse them, fetch each new item's page,
// extract its clean text and store it. Grouping into stories is in group.go.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/canon"
	"github.com/dateline-news/dateline/internal/extract"
	"github.com/dateline-news/dateline/internal/feed"
	"github.com/dateline-news/dateline/internal/feedhealth"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/sanitize"
	"github.com/dateline-news/dateline/internal/store"
	"golang.org/x/sync/errgroup"
)

// Size caps from the politeness rules: feeds are small, pages smaller still.
const (
	MaxFeedBytes = 10 << 20
	MaxPageBytes = 5 << 20
)

// Options tune the poller.
type Options struct {
	Owner           string        // lease owner: unique per process
	FeedWorkers     int           // feeds polled at once
	PageWorkers     int           // article pages fetched and extracted at once
	Lease           time.Duration // how long a leased feed stays ours
	DefaultInterval time.Duration // poll interval when a feed gives no hint
	FetchPages      bool          // fetch each item's page (false: feed content only)
	Logger          *slog.Logger
	Now             func() time.Time
	// OnStored, when set, is called with each newly stored article (e.g. to
	// fetch its lead image); it must not block.
	OnStored func(a model.Article)
}

// DefaultOptions suit one process on a small machine.
func DefaultOptions() Options {
	return Options{
		Owner:           "dateline",
		FeedWorkers:     8,
		PageWorkers:     4,
		Lease:           5 * time.Minute,
		DefaultInterval: 15 * time.Minute,
		FetchPages:      true,
		Logger:          slog.Default(),
		Now:             time.Now,
	}
}

// Getter is the part of the outbound client the poller uses.
type Getter interface {
	Get(ctx context.Context, url string, cond fetch.Conditional, maxBytes int64) (*fetch.Response, error)
}

// PageGetter fetches article pages only where robots.txt allows, returning
// an error wrapping fetch.ErrDisallowed where it does not. A *fetch.Client
// is one; when the poller's Getter is one it fetches pages with it, and
// feeds with Get regardless, since the operator subscribed to them.
type PageGetter interface {
	GetPage(ctx context.Context, url string, maxBytes int64) (*fetch.Response, error)
}

// Poller polls feeds and stores their new articles.
type Poller struct {
	st    store.Store
	get   Getter
	pager PageGetter // nil: pages are fetched with get
	opts  Options
	// pages bounds the page fetch+extract work across all feeds.
	pages chan struct{}
	// inflight holds canonical URLs being fetched, so an article listed in two
	// feeds polled at once is fetched once.
	inflight sync.Map
}

// NewPoller returns a poller over st fetching through get.
func NewPoller(st store.Store, get Getter, opts Options) *Poller {
	d := DefaultOptions()
	if opts.FeedWorkers <= 0 {
		opts.FeedWorkers = d.FeedWorkers
	}
	if opts.PageWorkers <= 0 {
		opts.PageWorkers = d.PageWorkers
	}
	if opts.Lease <= 0 {
		opts.Lease = d.Lease
	}
	if opts.DefaultInterval <= 0 {
		opts.DefaultInterval = d.DefaultInterval
	}
	if opts.Logger == nil {
		opts.Logger = d.Logger
	}
	if opts.Now == nil {
		opts.Now = d.Now
	}
	if opts.Owner == "" {
		opts.Owner = d.Owner
	}
	pager, _ := get.(PageGetter)
	return &Poller{st: st, get: get, pager: pager, opts: opts, pages: make(chan struct{}, opts.PageWorkers)}
}

// Run polls due feeds until ctx ends, checking every tick.
func (p *Poller) Run(ctx context.Context, tick time.Duration) {
	for {
		n, err := p.PollDue(ctx)
		if err != nil && ctx.Err() == nil {
			p.opts.Logger.Error("poll due feeds", "err", err)
		}
		if n > 0 {
			continue // more may be due right away
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(tick):
		}
	}
}

// PollDue polls every feed that is due, FeedWorkers at a time, and returns
// how many it polled. Each worker leases one feed just before polling it, so
// no feed's lease is spent waiting in a queue (another process could take it
// over meanwhile) and a slow feed never holds up the others.
func (p *Poller) PollDue(ctx context.Context) (int, error) {
	var (
		wg            sync.WaitGroup
		polled, added atomic.Int64
		errOnce       sync.Once
		leaseErr      error
		causesMu      sync.Mutex
		causes        []string // of this round's failed polls
	)
	for range p.opts.FeedWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				feeds, err := p.st.LeaseDueFeeds(ctx, p.opts.Owner, p.opts.Now(), 1, p.opts.Lease)
				if err != nil {
					errOnce.Do(func() { leaseErr = fmt.Errorf("lease due feeds: %w", err) })
					return
				}
				if len(feeds) == 0 {
					return
				}
				f := feeds[0]
				n, err := p.PollFeed(ctx, f)
				polled.Add(1)
				added.Add(int64(n))
				if err != nil && ctx.Err() == nil {
					// Details per feed at debug; the round's summary says how many and why.
					p.opts.Logger.Debug("feed failed", "feed", f.URL, "err", err)
					causesMu.Lock()
					causes = append(causes, feedhealth.Cause(err.Error(), 0))
					causesMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if n := polled.Load(); n > 0 {
		// Per round, so an operator running several processes sees each one's share.
		sum := feedhealth.OfRound(int(n)-len(causes), causes)
		attrs := []any{"owner", p.opts.Owner, "feeds", n, "new_articles", added.Load(), "failing", sum.Failing}
		switch {
		case sum.Offline():
			p.opts.Logger.Warn("polled feeds; none could be reached: check this machine's network (details on /sources)", append(attrs, "causes", sum.CausesText())...)
		case sum.Failing > 0:
			p.opts.Logger.Info("polled feeds", append(attrs, "causes", sum.CausesText())...)
		default:
			p.opts.Logger.Info("polled feeds", attrs...)
		}
	}
	if leaseErr != nil {
		return int(polled.Load()), leaseErr
	}
	return int(polled.Load()), ctx.Err()
}

// Hostile-publisher bounds applied at ingest.
const (
	// MaxValidatorLen caps a stored ETag or Last-Modified: a longer one is
	// dropped, since sent back as a request header it could get every later
	// poll refused (431) and a truncated validator never matches anyway.
	MaxValidatorLen = 256
	// MaxRetryAfter caps how long a publisher's Retry-After can park a feed.
	MaxRetryAfter = feed.MaxRetryAfter
	// GoneAfter is how long a feed must have answered 404 (on consecutive
	// polls, at least GoneAfterPolls of them) before it is retired; a 410
	// retires it at once.
	GoneAfter      = 24 * time.Hour
	GoneAfterPolls = 3
	// Caps on stored strings, in characters (runes).
	MaxTitleLen  = 1000
	MaxAuthorLen = 200
	MaxShortLen  = 200  // site name, language
	MaxURLLen    = 4096 // article and image URLs; longer ones are dropped
	MaxGUIDLen   = 1024 // longer GUIDs are replaced by their hash
	// MaxTextBytes and MaxHTMLBytes bound an article's body: far above any
	// real article (a long one is about 50 KB of text), far below what a
	// 10 MB feed item could carry into search and insight.
	MaxTextBytes = 512 << 10
	MaxHTMLBytes = 1 << 20
	// MaxNewPerPoll bounds the new items one poll fetches and stores, so a
	// feed of 10,000 items cannot hold a worker (and its lease) for hours.
	// The rest are taken on the next polls, MinInterval apart.
	MaxNewPerPoll = 500
	// MaxPageTimeouts is how many of a poll's article pages may time out
	// before the rest of that poll's items are stored from the feed's text
	// without fetching their pages: a site whose pages hang would otherwise
	// hold page workers for ReadTimeout per item.
	MaxPageTimeouts = 3
)

// PollFeed fetches one feed, stores its new articles and records the outcome
// on the feed. A failing feed only marks itself as failing; a feed the
// publisher says is gone is retired (see failed).
func (p *Poller) PollFeed(ctx context.Context, f model.Feed) (added int, err error) {
	now := p.opts.Now()
	prevStatus := f.LastStatus
	f.LastPoll = now
	// Validators stored before they were capped are not sent either.
	cond := fetch.Conditional{ETag: validator(f.ETag), LastModified: validator(f.LastModified)}
	resp, err := p.get.Get(ctx, f.URL, cond, MaxFeedBytes)
	if resp != nil {
		f.LastStatus = resp.Status
	} else {
		f.LastStatus = 0
	}
	if err == nil && resp.NotModified {
		f.Failures, f.LastError, f.FailingSince = 0, "", time.Time{}
		f.NextPoll = feed.NextPoll(now, p.opts.DefaultInterval, nil, resp.Header)
		return 0, p.saveState(ctx, f)
	}
	var parsed *feed.Parsed
	if err == nil {
		parsed, err = feed.Parse(resp.Body, resp.ContentType, f.URL)
	}
	if err != nil {
		if ctx.Err() != nil {
			// Shutting down: leave the feed due so the next run polls it.
			return 0, ctx.Err()
		}
		p.failed(&f, now, prevStatus, cond, err)
		if serr := p.saveState(ctx, f); serr != nil {
			return 0, errors.Join(err, serr)
		}
		return 0, err
	}
	oldETag, oldModified := f.ETag, f.LastModified
	f.Failures, f.LastError, f.FailingSince = 0, "", time.Time{}
	f.ETag, f.LastModified = validator(resp.ETag), validator(resp.LastModified)
	if f.Title == "" {
		f.Title = capRunes(parsed.Title, MaxTitleLen)
	}
	if parsed.Title != "" {
		p.nameOutlet(ctx, f, parsed.Title, "")
	}
	f.NextPoll = feed.NextPoll(now, p.opts.DefaultInterval, parsed, resp.Header)
	added, more, err := p.storeItems(ctx, f, parsed.Items)
	if more && err == nil {
		// Items were left for later: come back soon, unconditionally.
		f.ETag, f.LastModified = oldETag, oldModified
		f.NextPoll = now.Add(feed.MinInterval)
	}
	if err != nil {
		// Keep the old validators: with the new ones the next poll would get
		// a 304 and never store the items that failed now.
		f.ETag, f.LastModified = oldETag, oldModified
	}
	if err != nil && ctx.Err() != nil {
		// Shutting down: leave the feed due (its lease is released at the
		// next start) so the items not stored yet come soon.
		return added, ctx.Err()
	}
	if err != nil {
		// Storage trouble is not the feed's fault; record it and retry soon.
		f.LastError = readable(err)
		f.NextPoll = now.Add(time.Minute)
	}
	return added, errors.Join(err, p.saveState(ctx, f))
}

// failed records a failed poll on f: backoff, or the publisher's
// Retry-After when longer; validators dropped when a conditional request
// was refused; retirement when the feed is gone.
func (p *Poller) failed(f *model.Feed, now time.Time, prevStatus int, cond fetch.Conditional, err error) {
	f.Failures++
	if f.FailingSince.IsZero() {
		f.FailingSince = now
	}
	f.LastError = readable(err)
	var se *fetch.StatusError
	if !errors.As(err, &se) {
		f.NextPoll = now.Add(feed.Backoff(f.Failures, p.opts.DefaultInterval))
		return
	}
	var hint time.Duration
	if se.Code == http.StatusTooManyRequests || se.Code == http.StatusServiceUnavailable {
		hint = se.RetryAfter
	}
	f.NextPoll = now.Add(feed.RetryWait(f.Failures, p.opts.DefaultInterval, hint))
	if se.Code >= 400 && se.Code < 500 && (cond.ETag != "" || cond.LastModified != "") {
		// The validators may be what is refused (an oversized If-None-Match
		// answered 431, say): the next poll asks unconditionally.
		f.ETag, f.LastModified = "", ""
	}
	gone := se.Code == http.StatusGone ||
		(se.Code == http.StatusNotFound && prevStatus == http.StatusNotFound &&
			f.Failures >= GoneAfterPolls && now.Sub(f.FailingSince) >= GoneAfter)
	if gone {
		f.Retired = now
		f.LastError = readable(fmt.Errorf("retired, no longer polled: %w", err))
	}
}

func (p *Poller) saveState(ctx context.Context, f model.Feed) error {
	// Saving must happen even while shutting down, or the lease would linger.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := p.st.SaveFeedState(ctx, f); err != nil {
		return fmt.Errorf("save state of feed %s: %w", f.URL, err)
	}
	return nil
}

// storeItems turns the feed's new items into articles, at most
// MaxNewPerPoll of them (more reports that others were left), fetching pages
// concurrently (bounded by the shared page pool). It returns only once every
// page it started is stored or has failed, so the caller never releases the
// feed's lease while pages are in flight, and every error is returned. A
// storage failure while looking items up stops the round: pages in flight
// are cancelled and their items stored from the feed's own text.
func (p *Poller) storeItems(ctx context.Context, f model.Feed, items []feed.Item) (added int, more bool, err error) {
	var (
		mu    sync.Mutex
		named bool // nameOutlet ran for this poll
		errs  []error
		taken int
	)
	renewed := p.opts.Now() // guarded by mu
	renew := func() {
		mu.Lock()
		defer mu.Unlock()
		renewed = p.renewLease(ctx, f, renewed)
	}
	var timeouts atomic.Int32 // page fetches of this poll that timed out
	g, pagesCtx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for _, it := range items {
			renew()
			url, err := canon.URL(it.URL)
			if err != nil || it.URL == "" || len(url) > MaxURLLen {
				continue // an item without a usable link cannot be an article
			}
			known, err := p.st.HasArticle(ctx, f.SourceID, url, capGUID(it.GUID))
			if err != nil {
				return fmt.Errorf("look up %s: %w", url, err)
			}
			if known {
				continue
			}
			if taken == MaxNewPerPoll {
				more = true
				return nil
			}
			taken++
			if _, busy := p.inflight.LoadOrStore(url, true); busy {
				continue
			}
			select {
			case p.pages <- struct{}{}:
			case <-pagesCtx.Done():
				p.inflight.Delete(url)
				return pagesCtx.Err()
			}
			g.Go(func() error {
				defer func() { <-p.pages; p.inflight.Delete(url) }()
				a := p.build(pagesCtx, f, it, url, &timeouts)
				renew()
				// ctx, not pagesCtx: an item whose page was cancelled is
				// still stored, from the feed's text.
				created, err := p.st.InsertArticle(ctx, &a)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, fmt.Errorf("store article %s: %w", url, err))
				} else if created {
					added++
					if p.opts.OnStored != nil {
						p.opts.OnStored(a)
					}
					if f.Title == "" && a.SiteName != "" && !named {
						named = true // a feed without a title: the page's og:site_name names the outlet
						p.nameOutlet(ctx, f, "", a.SiteName)
					}
				}
				return nil // one article's failure does not stop the others
			})
		}
		return nil
	})
	err = g.Wait()
	mu.Lock()
	defer mu.Unlock()
	return added, more, errors.Join(append([]error{err}, errs...)...)
}

// renewLease extends this process's lease on f when a third of it has passed
// since last: a feed with many new pages on a slow or Crawl-delayed site can
// take longer to poll than one lease, and another process must not take it
// over meanwhile. Returns when the lease was last renewed.
func (p *Poller) renewLease(ctx context.Context, f model.Feed, last time.Time) time.Time {
	now := p.opts.Now()
	if p.opts.Lease <= 0 || p.opts.Owner == "" || now.Sub(last) < p.opts.Lease/3 {
		return last
	}
	if err := p.st.RenewLease(ctx, f.ID, p.opts.Owner, now.Add(p.opts.Lease)); err != nil && ctx.Err() == nil {
		// Not leased (a direct PollFeed) or taken over: polling goes on,
		// articles are keyed idempotently either way.
		p.opts.Logger.Debug("renew feed lease", "feed", f.URL, "err", err)
	}
	return now
}

// build makes the article for a feed item: the page's extracted text when the
// page can be fetched (and robots.txt allows it), else the feed's own content.
// timeouts counts the poll's page timeouts; from MaxPageTimeouts on, pages
// are not fetched.
func (p *Poller) build(ctx context.Context, f model.Feed, it feed.Item, url string, timeouts *atomic.Int32) model.Article {
	a := model.Article{
		SourceID:  f.SourceID,
		FeedID:    f.ID,
		URL:       url,
		GUID:      capGUID(it.GUID),
		Title:     strings.TrimSpace(it.Title),
		Author:    it.Author,
		Published: it.Published,
		Fetched:   p.opts.Now(),
		Image:     it.Image,
		Language:  f.Source.Language,
	}
	var ex extract.Result
	var exErr error
	if p.opts.FetchPages && timeouts.Load() >= MaxPageTimeouts {
		exErr = fmt.Errorf("page not fetched: %d pages of this feed timed out", timeouts.Load())
	} else if p.opts.FetchPages {
		ex, exErr = p.page(ctx, it.URL)
		if errors.Is(exErr, fetch.ErrTimeout) {
			timeouts.Add(1)
		}
		switch {
		case errors.Is(exErr, fetch.ErrDisallowed):
			p.opts.Logger.Debug("robots.txt disallows the article page; storing the feed's content", "url", it.URL, "reason", exErr)
		case errors.Is(exErr, ErrNotHTML):
			p.opts.Logger.Debug("the article link is not an HTML page; storing the feed's content", "url", it.URL, "reason", exErr)
		}
	} else {
		exErr = errors.New("page fetching off")
	}
	if exErr == nil && strings.TrimSpace(ex.Text) != "" {
		a.Text, a.HTML = ex.Text, ex.HTML
		if ex.Canonical != "" {
			if c, err := canon.URL(ex.Canonical); err == nil && sameSite(c, url) {
				a.URL = c
			}
		}
		a.Title = firstNonEmpty(a.Title, ex.Title)
		a.Author = firstNonEmpty(a.Author, ex.Author)
		a.Image = firstNonEmpty(a.Image, ex.Image)
		a.Language = firstNonEmpty(ex.Language, a.Language)
		a.SiteName = ex.SiteName
		if a.Published.IsZero() {
			a.Published = ex.Published
		}
	} else {
		body := firstNonEmpty(it.ContentHTML, it.Summary)
		a.HTML = sanitize.HTML(body)
		a.Text = sanitize.Text(body)
	}
	a.Published = clampPublished(a.Published, a.Fetched)
	if a.Title == "" {
		a.Title = url
	}
	capArticle(&a)
	return a
}

// clampPublished keeps a publisher's clock or typo from pinning an item to
// the top of every list: a date after the fetch time (9999, 2099, next
// week) becomes the fetch time, as does a missing or epoch-zero one.
func clampPublished(pub, fetched time.Time) time.Time {
	if pub.IsZero() || pub.After(fetched) || pub.Unix() <= 86400 {
		return fetched
	}
	return pub
}

// capArticle bounds the short fields of an article before it is stored.
func capArticle(a *model.Article) {
	a.Title = capRunes(a.Title, MaxTitleLen)
	a.Author = capRunes(a.Author, MaxAuthorLen)
	a.SiteName = capRunes(a.SiteName, MaxShortLen)
	a.Language = capRunes(a.Language, MaxShortLen)
	if len(a.Image) > MaxURLLen {
		a.Image = ""
	}
	if len(a.Text) > MaxTextBytes {
		a.Text = cutText(a.Text, MaxTextBytes)
	}
	if len(a.HTML) > MaxHTMLBytes {
		// Cut after the last closing tag that fits; re-sanitizing drops
		// what a cut inside a tag would leave.
		h := a.HTML[:MaxHTMLBytes]
		j := strings.LastIndex(h, "</")
		if k := strings.IndexByte(h[max(j, 0):], '>'); j > MaxHTMLBytes/2 && k >= 0 {
			h = h[:j+k+1]
		} else {
			h = cutText(h, len(h))
		}
		a.HTML = sanitize.HTML(h)
	}
}

// cutText cuts s to at most n bytes at the last paragraph break (or, with
// none in the second half, the last character boundary) before n.
func cutText(s string, n int) string {
	s = s[:n]
	if i := strings.LastIndexByte(s, '\n'); i > n/2 {
		return s[:i]
	}
	for range utf8.UTFMax - 1 { // drop the bytes of a character the cut split
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// capRunes cuts s to at most n characters, marking the cut.
func capRunes(s string, n int) string {
	if len(s) <= n { // bytes >= runes
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			return s[:i] + "…"
		}
		count++
	}
	return s
}

// capGUID replaces an oversized GUID by a hash of it: still a stable key.
func capGUID(g string) string {
	if len(g) <= MaxGUIDLen {
		return g
	}
	h := sha256.Sum256([]byte(g))
	return "sha256:" + hex.EncodeToString(h[:])
}

// validator returns an ETag or Last-Modified worth storing: "" when it is
// longer than MaxValidatorLen.
func validator(v string) string {
	if len(v) > MaxValidatorLen {
		return ""
	}
	return v
}

func (p *Poller) page(ctx context.Context, url string) (extract.Result, error) {
	var resp *fetch.Response
	var err error
	if p.pager != nil {
		resp, err = p.pager.GetPage(ctx, url, MaxPageBytes)
	} else {
		resp, err = p.get.Get(ctx, url, fetch.Conditional{}, MaxPageBytes)
	}
	if err != nil {
		return extract.Result{}, err
	}
	if err := htmlPage(resp.ContentType, resp.Body); err != nil {
		return extract.Result{}, fmt.Errorf("page %s: %w", url, err)
	}
	return extract.ExtractTyped(resp.Body, firstNonEmpty(resp.FinalURL, url), resp.ContentType)
}

// ErrNotHTML is returned (wrapped) for an item's page that is not an HTML
// document: a PDF, an image, a download. The feed's own text is stored.
var ErrNotHTML = errors.New("not an HTML page")

// htmlPage accepts a page body as HTML when its declared type says so and
// its bytes do not contradict it, or when it declares nothing specific
// (missing, octet-stream, text/plain) and its bytes sniff as HTML.
func htmlPage(contentType string, body []byte) error {
	declared, _, _ := mime.ParseMediaType(contentType)
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	switch declared {
	case "text/html", "application/xhtml+xml":
		if strings.HasPrefix(sniffed, "text/") || strings.HasSuffix(sniffed, "xml") {
			return nil
		}
	case "", "application/octet-stream", "text/plain", "binary/octet-stream":
		if sniffed == "text/html" {
			return nil
		}
	}
	return fmt.Errorf("%w: served as %q, content looks like %q", ErrNotHTML, firstNonEmpty(declared, "(no type)"), sniffed)
}

// sameSite guards against a page claiming another site's URL as canonical,
// which would let one outlet shadow another's article.
func sameSite(a, b string) bool {
	return host(a) == host(b)
}

func host(u string) string {
	u = u[strings.Index(u, "//")+2:]
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimPrefix(u, "www.")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// readable shortens an error to one line a person can act on.
func readable(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
