// Package fetch is the one HTTP client every outbound request goes through.
// It refuses non-public addresses (checked after DNS resolution, at dial
// time, for every redirect hop), is polite to each host (one request in
// flight and a pause between requests), caps body sizes, bounds redirects
// and time, and speaks conditional GET. GetPage also honours robots.txt
// (robots.go, robotscache.go); feeds, which an operator subscribed to, are
// fetched with Get regardless, as other feed readers do.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Client. The zero value of a field means its default
// from DefaultOptions.
type Options struct {
	// AllowPrivate disables the non-public address guard (tests, or a
	// deliberately local LLM server).
	AllowPrivate bool
	UserAgent    string
	// PerHostInterval is the pause between the end of one request to a host
	// and the start of the next. A negative value means no pause.
	PerHostInterval time.Duration
	// ConnectTimeout bounds DNS, TCP connect and TLS handshake.
	ConnectTimeout time.Duration
	// ReadTimeout bounds one request hop from connect to the last body byte.
	ReadTimeout time.Duration
	// MaxRedirects is how many redirects are followed; negative means none.
	MaxRedirects int
}

// DefaultUserAgent names the project so publishers can identify and reach us.
const DefaultUserAgent = "Dateline/0.1 (+https://github.com/dateline-news/dateline)"

// MaxHeaderBytes caps the response headers of one answer.
const MaxHeaderBytes = 1 << 20

// DefaultMaxBytes is the body cap Get applies when maxBytes <= 0.
const DefaultMaxBytes = 10 << 20

// DefaultOptions returns conservative settings for crawling news sites.
func DefaultOptions() Options {
	return Options{
		UserAgent:       DefaultUserAgent,
		PerHostInterval: time.Second,
		ConnectTimeout:  10 * time.Second,
		ReadTimeout:     30 * time.Second,
		MaxRedirects:    5,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.UserAgent == "" {
		o.UserAgent = d.UserAgent
	}
	if o.PerHostInterval == 0 {
		o.PerHostInterval = d.PerHostInterval
	} else if o.PerHostInterval < 0 {
		o.PerHostInterval = 0
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = d.ConnectTimeout
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = d.ReadTimeout
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = d.MaxRedirects
	} else if o.MaxRedirects < 0 {
		o.MaxRedirects = 0
	}
	return o
}

// Conditional carries validators from a previous response for a conditional GET.
type Conditional struct {
	ETag         string
	LastModified string
}

// Response is a fully read HTTP response.
type Response struct {
	Status       int
	Body         []byte
	ETag         string
	LastModified string
	ContentType  string
	FinalURL     string // after redirects
	Header       http.Header
	NotModified  bool // 304: keep the cached copy
}

// Errors returned (wrapped) by Get.
var (
	ErrTooLarge         = errors.New("response body too large")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrTimeout          = errors.New("request timed out")
)

// StatusError reports a non-2xx, non-304 status. Get returns it together
// with the Response.
type StatusError struct {
	Code int
	URL  string
	// RetryAfter is the server's Retry-After hint (429, 503), or zero.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("http status %d %s from %s", e.Code, http.StatusText(e.Code), e.URL)
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Client is safe for concurrent use. Create one per process and share it so
// per-host politeness holds across all callers.
type Client struct {
	opts      Options
	transport *http.Transport
	polite    *http.Client // used by Get: per-host gate, per-hop timeout
	plain     *http.Client // handed out by HTTPClient: guard only

	// lookup and dial are seams for tests: a fake public name can be mapped
	// to an httptest server without touching real DNS.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)

	mu    sync.Mutex
	hosts map[string]*hostGate

	robots *robotsCache // used by CheckRobots and GetPage
}

// New builds a Client; zero fields of opts take their defaults.
func New(opts Options) *Client {
	opts = opts.withDefaults()
	c := &Client{opts: opts, lookup: lookupHost, hosts: map[string]*hostGate{}, robots: newRobotsCache(opts.UserAgent)}
	d := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second, Control: controlGuard(opts.AllowPrivate)}
	c.dial = d.DialContext
	c.transport = &http.Transport{
		Proxy: nil, // a proxy would be dialed instead of the target and defeat the guard
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
			defer cancel()
			return c.dialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		ResponseHeaderTimeout: opts.ReadTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		// Headers beyond this are an attack, not a feed.
		MaxResponseHeaderBytes: MaxHeaderBytes,
	}
	c.polite = &http.Client{Transport: &gatedTransport{c: c, next: c.transport}, CheckRedirect: c.checkRedirect}
	c.plain = &http.Client{Transport: c.transport, CheckRedirect: c.checkRedirect, Timeout: opts.ReadTimeout}
	return c
}

// HTTPClient returns a client sharing the address guard, redirect policy
// and connection pool, for libraries that need an *http.Client (an LLM API
// client, say). It does not apply the per-host gate: API calls are not
// crawling and may legitimately run in parallel. Its Timeout is ReadTimeout;
// copy the struct to change it.
func (c *Client) HTTPClient() *http.Client { return c.plain }

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.Context().Value(noFollowKey{}) != nil {
		return http.ErrUseLastResponse
	}
	if len(via) > c.opts.MaxRedirects {
		return fmt.Errorf("%w (%d)", ErrTooManyRedirects, c.opts.MaxRedirects)
	}
	if err := checkScheme(req.URL); err != nil {
		return err
	}
	if ua := via[0].Header.Get("User-Agent"); ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	return nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w %q", ErrUnsupportedScheme, u.Scheme)
	}
	return nil
}

// Get fetches rawURL with the validators in cond and reads at most maxBytes
// of (decompressed) body; maxBytes <= 0 means DefaultMaxBytes. A 304 returns
// NotModified and no error. Other non-2xx statuses return the Response and a
// *StatusError.
func (c *Client) Get(ctx context.Context, rawURL string, cond Conditional, maxBytes int64) (*Response, error) {
	return c.get(ctx, rawURL, cond, maxBytes, getHow{})
}

// getHow varies Get for the client's own uses.
type getHow struct {
	accept string // Accept header; empty means feeds and pages
	// truncate returns the first maxBytes of a longer body instead of
	// ErrTooLarge (robots.txt: parse what fits under the cap).
	truncate bool
	// noFollow returns a redirect as a *StatusError with the Response, so
	// GetPage can check each hop against robots.txt before requesting it.
	noFollow bool
}

// noFollowKey marks a request context whose redirects are returned, not followed.
type noFollowKey struct{}

func (c *Client) get(ctx context.Context, rawURL string, cond Conditional, maxBytes int64, how getHow) (*Response, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("fetch: parse url: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if how.noFollow {
		ctx = context.WithValue(ctx, noFollowKey{}, true)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if how.accept == "" {
		how.accept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
	}
	req.Header.Set("Accept", how.accept)
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	// Accept-Encoding is left to the transport, which then asks for gzip
	// and decompresses transparently, so the cap below counts real bytes.

	resp, err := c.polite.Do(req)
	if err != nil {
		return nil, c.wrapErr(ctx, rawURL, err)
	}
	defer resp.Body.Close()

	r := &Response{
		Status:       resp.StatusCode,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
		FinalURL:     resp.Request.URL.String(),
		Header:       resp.Header,
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		r.NotModified = true
		return r, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Keep a little of an error body for diagnostics; its size is not an error.
		r.Body, _ = io.ReadAll(io.LimitReader(resp.Body, min(maxBytes, 64<<10)))
		return r, &StatusError{Code: resp.StatusCode, URL: r.FinalURL, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	if resp.ContentLength > maxBytes && !how.truncate {
		return nil, fmt.Errorf("fetch %s: %w: %d bytes declared, limit %d", rawURL, ErrTooLarge, resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, c.wrapErr(ctx, rawURL, fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > maxBytes {
		if !how.truncate {
			return nil, fmt.Errorf("fetch %s: %w: limit %d bytes", rawURL, ErrTooLarge, maxBytes)
		}
		body = body[:maxBytes]
	}
	r.Body = body
	return r, nil
}

// wrapErr names the URL and turns our own per-hop deadline into ErrTimeout,
// while a cancelled caller context stays what it is.
func (c *Client) wrapErr(ctx context.Context, rawURL string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error would repeat the method and URL
	}
	if ctx.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err)) {
		return fmt.Errorf("fetch %s: %w: %w", rawURL, ErrTimeout, err)
	}
	return fmt.Errorf("fetch %s: %w", rawURL, err)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// maxRetryAfterSeconds bounds a parsed Retry-After (a year); callers cap
// it further for their own use.
const maxRetryAfterSeconds = 365 * 24 * 3600

// retryAfter parses a Retry-After value (seconds or HTTP date).
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if s < 0 {
			return 0
		}
		// Capped so an absurd value cannot overflow into a short wait.
		return time.Duration(min(s, maxRetryAfterSeconds)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfterSeconds*time.Second)
	}
	return 0
}

// gatedTransport lets one request per host run at a time, spaced by
// PerHostInterval, and bounds each hop by ReadTimeout. The timeout starts
// once the gate is passed, so queueing behind other requests to a busy host
// does not count against it. The gate is held until the body is closed.
type gatedTransport struct {
	c    *Client
	next http.RoundTripper
}

func (g *gatedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	gate := g.c.gate(req.URL.Hostname())
	if err := gate.acquire(req.Context(), max(g.c.opts.PerHostInterval, gate.crawlDelay())); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), g.c.opts.ReadTimeout)
	resp, err := g.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		gate.release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, done: func() { cancel(); gate.release() }}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

func (c *Client) gate(host string) *hostGate {
	host = strings.ToLower(host)
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.hosts[host]
	if !ok {
		g = &hostGate{sem: make(chan struct{}, 1)}
		c.hosts[host] = g
	}
	return g
}

// hostGate is a one-slot semaphore plus the time the last request ended.
// last is only touched while holding the slot.
type hostGate struct {
	sem  chan struct{}
	last time.Time
	// delay is the host's robots.txt Crawl-delay (capped), a floor under
	// PerHostInterval; written by the robots cache, read by every request.
	delay atomic.Int64
	// queued counts requests waiting for the slot (tests observe it).
	queued atomic.Int32
}

func (g *hostGate) crawlDelay() time.Duration { return time.Duration(g.delay.Load()) }

func (g *hostGate) acquire(ctx context.Context, interval time.Duration) error {
	select {
	case g.sem <- struct{}{}:
	default:
		g.queued.Add(1)
		select {
		case g.sem <- struct{}{}:
			g.queued.Add(-1)
		case <-ctx.Done():
			g.queued.Add(-1)
			return ctx.Err()
		}
	}
	if wait := time.Until(g.last.Add(interval)); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			<-g.sem
			return ctx.Err()
		}
	}
	return nil
}

func (g *hostGate) release() {
	g.last = time.Now()
	<-g.sem
}
