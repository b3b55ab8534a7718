// Package web serves Dateline to readers: server-rendered pages, a JSON API,
// an Atom feed of top stories and the files that make the site an installable
// web app. Handlers only read through store.Store; everything they need to
// show is computed from stored values on request (and cached where costly).
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/feedadmin"
	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/store"
)

// Options configures the web layer. Every field is optional.
type Options struct {
	// SiteName is shown in page titles, the app manifest and the Atom feed.
	SiteName string
	// BaseURL is the public absolute URL ("https://news.example.org"), used
	// in feeds and canonical links; empty derives it from each request.
	BaseURL string
	// Logger receives one line per request and handler errors; nil discards.
	Logger *slog.Logger
	// Comments plugs accounts and comments into story and article pages; nil
	// shows "No comments yet".
	Comments Comments
	// Now is the clock for relative times; nil is time.Now.
	Now func() time.Time
	// CacheTTL is how long the front page, listings and feeds are served
	// from memory to anonymous readers; 0 means 5s, negative disables.
	CacheTTL time.Duration
	// InsightScan bounds how many recent stories /topic, /entity and related
	// stories look through; 0 means 300.
	InsightScan int
	// TrustProxy honours X-Forwarded-Proto from a reverse proxy: a request
	// it marks https gets Strict-Transport-Security, as a direct TLS request
	// does. Set it only behind a proxy that sets the header.
	TrustProxy bool
	// Summarizer, when set and enabled, adds a machine-written summary to
	// story pages and the story API. It runs in the background; pages never
	// wait for it and keep the extractive summary until it is ready.
	Summarizer Summarizer
	// Fetcher checks and discovers feeds an administrator adds on
	// /admin/feeds: the guarded outbound client. Nil subscribes to URLs as
	// given, unchecked.
	Fetcher feedadmin.Getter
	// Images stores and serves lead images (fetched in the background);
	// nil shows no images.
	Images *media.Cache
}

// Comments is the extension point for accounts and discussion. Implementations
// live outside this package and must be safe for concurrent use.
type Comments interface {
	// Section returns the rendered comment area of a page: kind is "story" or
	// "article" and id that item's ID. The HTML must already be safe. On
	// error the page still shows whatever HTML is returned (a notice).
	Section(r *http.Request, kind string, id int64) (template.HTML, error)
	// Routes registers the hook's own handlers (posting, signing in) on mux.
	// They sit behind the same middleware as every page, including
	// cross-origin protection for state-changing methods.
	Routes(mux *http.ServeMux)
}

type server struct {
	st         store.Store
	opt        Options
	log        *slog.Logger
	now        func() time.Time
	pages      map[string]*template.Template
	assets     map[string]string // static file name -> name?v=hash
	insight    *insightCache
	titles     *titleCleaner
	editions   editionsCache
	heads      *headCache // newest articles of each listed story
	coverage   *headCache // all (up to storyArticleCap) articles of viewed stories
	cache      *microCache
	gate       *gate // lookups and listings
	slowGate   *gate // story pages, insight, scans
	searchGate *gate // search alone, shedding load when its queue is long
}

// New returns the handler serving every page, the API and static files.
func New(st store.Store, opts Options) http.Handler {
	return newServer(st, opts).handler()
}

// handler is the site: every route behind the middleware.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	if s.opt.Comments != nil {
		s.opt.Comments.Routes(mux)
	}
	var h http.Handler = mux
	h = crossOrigin(h)
	h = compress(h)
	h = s.recoverPanics(h)
	h = s.securityHeaders(h)
	h = s.logRequests(h)
	return h
}

func newServer(st store.Store, opts Options) *server {
	if opts.SiteName == "" {
		opts.SiteName = "Dateline"
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.InsightScan <= 0 {
		opts.InsightScan = 300
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = 5 * time.Second
	}
	s := &server{st: st, opt: opts, log: opts.Logger, now: opts.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.assets = assetVersions()
	s.pages = s.parseTemplates()
	s.titles = newTitleCleaner(st)
	s.heads = newHeadCache(50, 4096, s.titles)
	s.coverage = newHeadCache(storyArticleCap, 256, s.titles)
	s.cache = newMicroCache(opts.CacheTTL)
	s.gate, s.slowGate = newGate(runtime.GOMAXPROCS(0)), newGate(2*runtime.GOMAXPROCS(0))
	s.searchGate = newSheddingGate(searchSlots(), searchQueue, s.searchBusy)
	s.insight = newInsightCache(st, s.log, opts.InsightScan, opts.Summarizer)
	if s.insight.ai != nil {
		s.insight.ai.now = s.now // retries after a failure follow the injected clock
	}
	return s
}

func (s *server) routes(mux *http.ServeMux) {
	// Handlers that read the store run inside a gate; the cache sits outside
	// it so a cached response never queues behind a read. Handlers that can
	// take many milliseconds (search, insight, scans of recent stories) have
	// a gate of their own, so they never hold up lookups and listings.
	// Search, the one a crowd can ask for with endless distinct queries (no
	// cache helps), has a third gate that sheds load: a search flood once
	// made story pages wait 5 s behind it in the shared slow gate.
	g, slow, search := s.gate.wrap, s.slowGate.wrap, s.searchGate.wrap
	mux.HandleFunc("GET /{$}", s.cache.wrap(g(s.frontPage)))
	mux.HandleFunc("GET /story/{id}", slow(s.storyPage))
	// Feeds: Atom (.xml) and JSON Feed (.json) of the same entries.
	for _, ext := range []string{".xml", ".json"} {
		mux.HandleFunc("GET /feed"+ext, s.cache.wrap(g(s.frontFeed)))
		mux.HandleFunc("GET /story/{id}/feed"+ext, g(s.storyFeed))
		mux.HandleFunc("GET /topic/{tag}/feed"+ext, s.cache.wrap(slow(s.topicFeed)))
		mux.HandleFunc("GET /entity/{name}/feed"+ext, slow(s.entityFeed))
		mux.HandleFunc("GET /source/{id}/feed"+ext, s.cache.wrap(g(s.sourceFeed)))
	}
	mux.HandleFunc("GET /article/{id}", g(s.articlePage))
	mux.HandleFunc("GET /sources", s.cache.wrap(g(s.sourcesPage)))
	mux.HandleFunc("GET /topic/{tag}", s.cache.wrap(slow(s.topicPage)))
	mux.HandleFunc("GET /entity/{name}", slow(s.entityPage))
	mux.HandleFunc("GET /source/{id}", s.cache.wrap(g(s.sourcePage)))
	if s.readers() != nil {
		mux.HandleFunc("GET /for-you", slow(s.forYouPage))
	}
	searchPage := search(s.searchPage)
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		if strings.TrimSpace(r.URL.Query().Get("q")) == "" {
			s.searchPage(w, r) // the empty form reads nothing: never shed it
			return
		}
		searchPage(w, r)
	})
	mux.HandleFunc("GET /offline", s.offlinePage)
	mux.HandleFunc("GET /healthz", g(s.healthz))

	mux.HandleFunc("GET /manifest.webmanifest", s.manifest)
	mux.HandleFunc("GET /sw.js", serveServiceWorker)
	mux.HandleFunc("GET /icon.svg", serveIconSVG)
	mux.HandleFunc("GET /icon-192.png", servePNGIcon)
	mux.HandleFunc("GET /icon-512.png", servePNGIcon)
	mux.HandleFunc("GET /favicon.ico", serveIconSVG)
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /img/{id}", g(s.serveImage))

	s.adminRoutes(mux)

	mux.HandleFunc("GET /api/v1/articles", s.cache.wrap(g(s.apiArticles)))
	mux.HandleFunc("GET /api/v1/articles/{id}", g(s.apiArticle))
	mux.HandleFunc("GET /api/v1/sources", g(s.apiSources))
	mux.HandleFunc("GET /api/v1/stories", s.cache.wrap(g(s.apiStories)))
	mux.HandleFunc("GET /api/v1/stories/{id}", slow(s.apiStory))
	mux.HandleFunc("GET /api/v1/search", search(s.apiSearch))
	s.apiTokenRoutes(mux)
	s.storylineRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "no such endpoint")
	})

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.notFound(w, r)
	})
}

// baseURL is the absolute site root, from Options or the request.
func (s *server) baseURL(r *http.Request) string {
	if s.opt.BaseURL != "" {
		return s.opt.BaseURL
	}
	scheme := "http"
	if s.https(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
