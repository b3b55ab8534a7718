package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/feed"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/ingest"
	"github.com/dateline-news/dateline/internal/insight/llm"
	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/web"
)

const defaultDatabase = "./dateline.db"

// tuneGC trades memory for fewer collections unless the operator set GOGC or
// GOMEMLIMIT: a server's live heap is small, and at 200 concurrent readers
// collecting four times less often cut the front page's p99 by a fifth
// (docs/BENCHMARKS.md). The soft limit makes the collector work harder again
// before the heap grows past it.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dsn := fs.String("database", defaultDatabase, "SQLite file path or postgres:// URL")
	poll := fs.Bool("poll", true, "poll feeds and group articles into stories")
	allowPrivate := fs.Bool("allow-private-networks", false, "let outbound fetches reach private, loopback and link-local addresses")
	perHost := fs.Duration("per-host-interval", time.Second, "minimum time between two requests to one host")
	interval := fs.Duration("poll-interval", 15*time.Minute, fmt.Sprintf("default time between polls of a feed (kept within %v to %v)", feed.MinInterval, feed.MaxInterval))
	var logLevel slog.Level
	fs.TextVar(&logLevel, "log-level", slog.LevelInfo, "debug (adds one line per request), info, warn or error")
	lease := fs.Duration("lease", 5*time.Minute, "how long a process holds a feed it polls before another may take it over")
	trustProxy := fs.Bool("trust-proxy", false, "honour X-Forwarded-Proto/-For from a reverse proxy")
	siteName := fs.String("site-name", "Dateline", "name shown in titles and feeds")
	baseURL := fs.String("base-url", "", "public URL of the site, e.g. https://news.example.org")
	llmURL := fs.String("llm-url", "", "base URL of an OpenAI-compatible chat-completions API for machine-written story summaries (off when empty; key from "+llm.KeyEnv+")")
	llmModel := fs.String("llm-model", "", "model name for --llm-url")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q (dateline help lists the commands)", fs.Arg(0))
	}
	tuneGC()
	log := logger(stderr, logLevel)
	warnPollInterval(log, *interval)

	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := subscribeDefaultsIfEmpty(ctx, st, log); err != nil {
		return err
	}

	svc, err := accounts(st)
	if err != nil {
		return err
	}

	sum, err := summarizer(*llmURL, *llmModel, *allowPrivate, log)
	if err != nil {
		return err
	}

	// One guarded client for polling, lead images and feeds an administrator adds.
	client := fetch.New(fetchOptions(*allowPrivate, *perHost))
	images := imageCache(st, client, log)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler: web.New(st, web.Options{Logger: log, SiteName: *siteName, BaseURL: *baseURL,
			Comments: readersHook{commentsHook(st, svc, *trustProxy, *siteName), svc}, Summarizer: sum, TrustProxy: *trustProxy,
			Fetcher: client, Images: images}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("dateline listening", "url", "http://"+ln.Addr().String(), "database", *dsn, "poll", *poll)

	work, stopWork := context.WithCancel(ctx)
	defer stopWork()
	var wg sync.WaitGroup
	if images != nil {
		wg.Add(1)
		go func() { defer wg.Done(); images.Run(work) }()
	}
	if *poll {
		po := ingest.DefaultOptions()
		po.Owner = processID(*addr)
		po.DefaultInterval = *interval
		po.Lease = *lease
		po.Logger = log
		if images != nil {
			po.OnStored = func(a model.Article) { images.Want(a.Image) }
		}
		if err := st.ReleaseLeases(ctx, po.Owner); err != nil {
			return err
		}
		poller := ingest.NewPoller(st, client, po)
		wg.Add(2)
		go func() { defer wg.Done(); poller.Run(work, 5*time.Second) }()
		onMerge := func(ctx context.Context, from, into int64) error { return svc.MoveComments(ctx, "story", from, into) }
		go func() { defer wg.Done(); lead(work, st, log, onMerge) }()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopWork()
		wg.Wait()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	stopWork()
	shut, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	err = srv.Shutdown(shut)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-shut.Done():
		log.Warn("background work did not stop in time")
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// warnPollInterval says when --poll-interval is outside the bounds every
// feed's schedule is clamped to, rather than changing it silently.
func warnPollInterval(log *slog.Logger, d time.Duration) {
	switch {
	case d <= 0:
		log.Warn("--poll-interval is not positive: feeds are polled every default interval",
			"poll_interval", d, "used", feed.DefaultInterval)
	case d < feed.MinInterval:
		log.Warn("--poll-interval is below the minimum: feeds are polled at most this often",
			"poll_interval", d, "used", feed.MinInterval)
	case d > feed.MaxInterval:
		log.Warn("--poll-interval is above the maximum: feeds are polled at least this often",
			"poll_interval", d, "used", feed.MaxInterval)
	}
}

// lead runs the clusterer while this process holds the leadership; with
// several processes on one database, another takes over when the leader
// dies, and one that lost its lock stops and tries again later.
func lead(ctx context.Context, st store.Store, log *slog.Logger, onMerge func(ctx context.Context, from, into int64) error) {
	for ctx.Err() == nil {
		l, ok, err := st.TryLeader(ctx, store.ClusterLeader)
		if err != nil && ctx.Err() == nil {
			log.Error("leader election", "err", err)
		}
		if ok {
			clusterWhileLeading(ctx, st, l, log, onMerge)
		}
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
		}
	}
}

// clusterWhileLeading runs a fresh Grouper (restored from the store) until
// ctx ends, the leadership is lost, or a write is fenced off, then gives
// the leadership up.
func clusterWhileLeading(ctx context.Context, st store.Store, l store.Leadership, log *slog.Logger, onMerge func(ctx context.Context, from, into int64) error) {
	defer l.Release()
	log.Info("leading the clustering stage", "epoch", l.Epoch)
	work, stop := l.Context(ctx)
	defer stop()
	g, err := ingest.NewGrouper(work, st, log, nil)
	if err == nil {
		g.OnMerge = onMerge
		g.Epoch = l.Epoch
		err = g.Run(work, 2*time.Second) // nil when work ends
	}
	switch {
	case ctx.Err() != nil: // shutting down
	case work.Err() != nil:
		log.Warn("lost the clustering leadership; stopped clustering", "cause", context.Cause(work))
	case errors.Is(err, store.ErrFenced):
		log.Warn("stopped clustering: its writes were fenced off", "err", err)
	case err != nil:
		log.Error("start clusterer", "err", err)
	}
}

func subscribeDefaultsIfEmpty(ctx context.Context, st store.Store, log *slog.Logger) error {
	existing, err := st.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("list feeds: %w", err)
	}
	if len(existing) > 0 {
		return nil
	}
	subs, err := feed.Defaults()
	if err != nil {
		return fmt.Errorf("load default subscriptions: %w", err)
	}
	n, err := subscribe(ctx, st, subs)
	log.Info("subscribed to the default feeds", "feeds", n)
	return err
}

// subscribe adds feeds with their sources, returning how many were new.
func subscribe(ctx context.Context, st store.Store, subs []feed.Subscription) (int, error) {
	added := 0
	for _, s := range subs {
		src, err := st.UpsertSource(ctx, model.Source{Name: s.Name, HomeURL: s.HomeURL, Country: s.Country, Language: s.Language})
		if err != nil {
			return added, fmt.Errorf("store source %q: %w", s.Name, err)
		}
		_, created, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: s.FeedURL, Title: s.Name})
		if err != nil {
			return added, fmt.Errorf("add feed %s: %w", s.FeedURL, err)
		}
		if created {
			added++
		}
	}
	return added, nil
}

// processID names this process for feed leases. It is stable across restarts
// on the same host and address, so a process killed mid-poll picks its own
// leases back up at once instead of waiting for them to expire.
func processID(addr string) string {
	host, _ := os.Hostname()
	return host + "/" + addr
}

// summarizer returns the client of the machine-written summaries, or nil
// when no endpoint is configured. Its outbound client keeps the address
// guard with one exception: an endpoint the operator named as localhost or
// by a loopback or private IP literal (a local model server) may be reached,
// and since the client is pinned to that one host and follows no redirects,
// nothing else is opened. A host name that resolves to a private address
// still needs --allow-private-networks.
func summarizer(rawURL, model string, allowPrivate bool, log *slog.Logger) (web.Summarizer, error) {
	if rawURL == "" && model == "" {
		return nil, nil
	}
	if rawURL == "" || model == "" {
		return nil, errors.New("--llm-url and --llm-model must be given together")
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--llm-url %q: want an http or https URL", rawURL)
	}
	cfg := llm.ConfigFromEnv(rawURL, model)
	local := localHost(u.Hostname())
	if u.Scheme == "http" && !local && cfg.APIKey != "" {
		log.Warn("the LLM API key is sent over plain HTTP", "url", rawURL)
	}
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = allowPrivate || local
	opts.MaxRedirects = -1
	opts.ReadTimeout = time.Minute // llm bounds each request itself
	client := *fetch.New(opts).HTTPClient()
	client.Transport = pinnedHost{host: u.Host, next: client.Transport}
	log.Info("machine-written summaries on", "url", rawURL, "model", model)
	return llm.New(cfg, &client), nil
}

// localHost reports whether host is localhost or a loopback or private IP
// literal. Link-local addresses (cloud metadata) are not.
func localHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && (ip.IsLoopback() || ip.IsPrivate())
}

// pinnedHost refuses requests to any host but one.
type pinnedHost struct {
	host string
	next http.RoundTripper
}

func (p pinnedHost) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.EqualFold(req.URL.Host, p.host) {
		return nil, fmt.Errorf("llm client: refusing %s: only %s is allowed", req.URL.Host, p.host)
	}
	return p.next.RoundTrip(req)
}

var (
	_ web.Readers    = readersHook{}
	_ web.APIReaders = readersHook{}
)

// readersHook is the accounts hook as the web layer sees it: accountweb's
// handler, which also names the signed-in reader and what they follow (for
// follow buttons and the For you page).
type readersHook struct {
	*accountweb.Handler
	svc *account.Service
}

func (h readersHook) Reader(r *http.Request) (web.Reader, bool, error) {
	u, ok := h.User(r)
	if !ok {
		return web.Reader{}, false, nil
	}
	topics, sources, err := h.svc.Follows(r.Context(), u.ID)
	if err != nil {
		return web.Reader{}, false, err
	}
	return web.Reader{Name: u.Username, Topics: topics, Sources: sources, Admin: u.Role == account.Admin && !u.Suspended, Role: string(u.Role)}, true, nil
}

// APIReader is the reader behind a personal API token.
func (h readersHook) APIReader(r *http.Request, token string) (web.Reader, bool, error) {
	u, ok, err := h.TokenUser(r, token)
	if !ok || err != nil {
		return web.Reader{}, false, err
	}
	topics, sources, err := h.svc.Follows(r.Context(), u.ID)
	if err != nil {
		return web.Reader{}, false, err
	}
	return web.Reader{Name: u.Username, Topics: topics, Sources: sources, Admin: u.Role == account.Admin, Role: string(u.Role)}, true, nil
}

// APIFollow follows or unfollows for the owner of a personal API token.
func (h readersHook) APIFollow(r *http.Request, token, kind, value string, on bool) error {
	u, ok, err := h.TokenUser(r, token)
	if err != nil {
		return err
	}
	if !ok {
		return &web.InputError{Msg: "invalid API token"}
	}
	err = h.svc.Follow(r.Context(), u, kind, value, on)
	if inv := (*account.InvalidError)(nil); errors.As(err, &inv) {
		return &web.InputError{Msg: inv.Msg}
	}
	return err
}

func fetchOptions(allowPrivate bool, perHost time.Duration) fetch.Options {
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = allowPrivate
	opts.PerHostInterval = perHost
	if perHost <= 0 {
		opts.PerHostInterval = -1 // the client reads zero as "default"
	}
	return opts
}

// imageCache keeps lead images in the store's database, fetched through the
// same guarded client as feeds.
func imageCache(st store.Store, client *fetch.Client, log *slog.Logger) *media.Cache {
	h := st.SQL()
	return media.New(h.DB, client, media.Options{Postgres: h.Dialect == store.DialectPostgres, ReadDB: h.ReadDB, Logger: log})
}
