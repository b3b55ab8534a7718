// Package ingest is Dateline's pipeline from subscriptions to stored
// articles: lease due feeds, fetch and parse them, fetch each new item's page,
// extract its clean text and store it. Grouping into stories is in group.go.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dateline-news/dateline/internal/canon"
	"github.com/dateline-news/dateline/internal/extract"
	"github.com/dateline-news/dateline/internal/feed"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/sanitize"
	"github.com/dateline-news/dateline/internal/store"
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
					p.opts.Logger.Warn("feed failed", "feed", f.URL, "err", err)
				}
			}
		}()
	}
	wg.Wait()
	if n := polled.Load(); n > 0 {
		// Per round, so an operator running several processes sees each one's share.
		p.opts.Logger.Info("polled feeds", "owner", p.opts.Owner, "feeds", n, "new_articles", added.Load())
	}
	if leaseErr != nil {
		return int(polled.Load()), leaseErr
	}
	return int(polled.Load()), ctx.Err()
}

// PollFeed fetches one feed, stores its new articles and records the outcome
// on the feed. A failing feed only marks itself as failing.
func (p *Poller) PollFeed(ctx context.Context, f model.Feed) (added int, err error) {
	now := p.opts.Now()
	f.LastPoll = now
	resp, err := p.get.Get(ctx, f.URL, fetch.Conditional{ETag: f.ETag, LastModified: f.LastModified}, MaxFeedBytes)
	if resp != nil {
		f.LastStatus = resp.Status
	} else {
		f.LastStatus = 0
	}
	if err == nil && resp.NotModified {
		f.Failures, f.LastError = 0, ""
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
		f.Failures++
		f.LastError = readable(err)
		f.NextPoll = now.Add(feed.Backoff(f.Failures, p.opts.DefaultInterval))
		if serr := p.saveState(ctx, f); serr != nil {
			return 0, errors.Join(err, serr)
		}
		return 0, err
	}
	f.Failures, f.LastError = 0, ""
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	if f.Title == "" {
		f.Title = parsed.Title
	}
	if parsed.Title != "" {
		p.nameOutlet(ctx, f, parsed.Title, "")
	}
	f.NextPoll = feed.NextPoll(now, p.opts.DefaultInterval, parsed, resp.Header)
	added, err = p.storeItems(ctx, f, parsed.Items)
	if err != nil && ctx.Err() != nil {
		return added, ctx.Err()
	}
	if err != nil {
		// Storage trouble is not the feed's fault; record it and retry soon.
		f.LastError = readable(err)
		f.NextPoll = now.Add(time.Minute)
	}
	return added, errors.Join(err, p.saveState(ctx, f))
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

// storeItems turns the feed's new items into articles, fetching pages
// concurrently (bounded by the shared page pool).
func (p *Poller) storeItems(ctx context.Context, f model.Feed, items []feed.Item) (int, error) {
	var (
		mu    sync.Mutex
		named bool // nameOutlet ran for this poll
		added int
		errs  []error
		wg    sync.WaitGroup
	)
	renewed := p.opts.Now() // guarded by mu
	renew := func() {
		mu.Lock()
		defer mu.Unlock()
		renewed = p.renewLease(ctx, f, renewed)
	}
	for _, it := range items {
		renew()
		url, err := canon.URL(it.URL)
		if err != nil || it.URL == "" {
			continue // an item without a usable link cannot be an article
		}
		known, err := p.st.HasArticle(ctx, f.SourceID, url, it.GUID)
		if err != nil {
			return added, fmt.Errorf("look up %s: %w", url, err)
		}
		if known {
			continue
		}
		if _, busy := p.inflight.LoadOrStore(url, true); busy {
			continue
		}
		select {
		case p.pages <- struct{}{}:
		case <-ctx.Done():
			p.inflight.Delete(url)
			wg.Wait()
			return added, ctx.Err()
		}
		wg.Add(1)
		go func(it feed.Item, url string) {
			defer wg.Done()
			defer func() { <-p.pages; p.inflight.Delete(url) }()
			a := p.build(ctx, f, it, url)
			renew()
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
		}(it, url)
	}
	wg.Wait()
	return added, errors.Join(errs...)
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
func (p *Poller) build(ctx context.Context, f model.Feed, it feed.Item, url string) model.Article {
	a := model.Article{
		SourceID:  f.SourceID,
		FeedID:    f.ID,
		URL:       url,
		GUID:      it.GUID,
		Title:     strings.TrimSpace(it.Title),
		Author:    it.Author,
		Published: it.Published,
		Fetched:   p.opts.Now(),
		Image:     it.Image,
		Language:  f.Source.Language,
	}
	var ex extract.Result
	var exErr error
	if p.opts.FetchPages {
		ex, exErr = p.page(ctx, it.URL)
		if errors.Is(exErr, fetch.ErrDisallowed) {
			p.opts.Logger.Debug("robots.txt disallows the article page; storing the feed's content", "url", it.URL, "reason", exErr)
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
	if a.Published.IsZero() {
		a.Published = a.Fetched
	}
	if a.Title == "" {
		a.Title = url
	}
	return a
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
	return extract.Extract(resp.Body, firstNonEmpty(resp.FinalURL, url))
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
