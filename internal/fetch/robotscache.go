package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrDisallowed is returned (wrapped) when robots.txt does not let us fetch
// a URL, or could not be read and so forbids everything for a while.
var ErrDisallowed = errors.New("disallowed by robots.txt")

const (
	// robotsTTL is how long a robots.txt (or its absence) is trusted;
	// RFC 9309 asks for no more than 24 hours.
	robotsTTL = 24 * time.Hour
	// robotsRetry is how long an unreachable robots.txt keeps its site
	// closed before we ask again.
	robotsRetry = 10 * time.Minute
	// robotsMaxHosts bounds the cache; past it, expired entries are dropped.
	robotsMaxHosts = 10000
)

// robotsCache holds each site's robots.txt verdict and makes sure only one
// request fetches a site's robots.txt while others for that site wait.
type robotsCache struct {
	token string           // our product token, e.g. "Dateline"
	now   func() time.Time // a seam for tests of expiry

	mu    sync.Mutex
	sites map[string]*robotsEntry // by origin: scheme://host[:port]
}

// robotsEntry is one site's verdict. Its fields are written before done is
// closed and never after, so readers need no lock once done is closed.
type robotsEntry struct {
	done  chan struct{}
	rules Robots
	// unreachable is why the site is closed when robots.txt could not be
	// read (5xx, 429, network failure); nil otherwise.
	unreachable error
	until       time.Time // fetch again after this
}

func newRobotsCache(userAgent string) *robotsCache {
	return &robotsCache{token: agentToken(userAgent), now: time.Now, sites: map[string]*robotsEntry{}}
}

// CheckRobots returns nil when robots.txt lets us fetch rawURL, and an error
// wrapping ErrDisallowed when it does not. The site's robots.txt is fetched
// through this client (same guard, caps and per-host pacing) once per site
// and cached; its Crawl-delay, when given, becomes the least pause between
// requests to that host.
func (c *Client) CheckRobots(ctx context.Context, rawURL string) error {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return fmt.Errorf("check robots.txt: parse url: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return fmt.Errorf("check robots.txt for %s: %w", rawURL, err)
	}
	origin := originOf(u)
	e, err := c.robotsFor(ctx, origin, u.Hostname())
	if err != nil {
		return fmt.Errorf("check robots.txt for %s: %w", rawURL, err)
	}
	if e.unreachable != nil {
		return fmt.Errorf("%w: %s/robots.txt unreachable, site closed until %s: %w",
			ErrDisallowed, origin, e.until.Format(time.RFC3339), e.unreachable)
	}
	if !e.rules.Allowed(requestPath(u)) {
		return fmt.Errorf("%w: %s", ErrDisallowed, rawURL)
	}
	return nil
}

// originOf is the site a robots.txt governs: scheme, host and port, with
// the scheme's default port left out.
func originOf(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if p := u.Port(); (scheme == "http" && p == "80") || (scheme == "https" && p == "443") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	return scheme + "://" + host
}

// requestPath is the path and query robots.txt rules are matched against.
func requestPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" || u.ForceQuery {
		p += "?" + u.RawQuery
	}
	return p
}

// robotsFor returns origin's current verdict, fetching robots.txt when it is
// missing or stale. Callers arriving during a fetch wait for it rather than
// fetch again; a caller whose context ends stops waiting, and a fetch cut
// short by its caller's context is not cached, so the next caller retries.
func (c *Client) robotsFor(ctx context.Context, origin, hostname string) (*robotsEntry, error) {
	rc := c.robots
	for {
		rc.mu.Lock()
		prev := rc.sites[origin]
		if prev != nil {
			select {
			case <-prev.done:
				if rc.now().Before(prev.until) {
					rc.mu.Unlock()
					return prev, nil
				}
			default:
				rc.mu.Unlock()
				select {
				case <-prev.done:
					continue
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
		}
		if len(rc.sites) >= robotsMaxHosts {
			rc.sweep()
		}
		e := &robotsEntry{done: make(chan struct{})}
		rc.sites[origin] = e
		rc.mu.Unlock()

		rules, ttl, unreachable := c.fetchRobots(ctx, origin)
		if unreachable != nil && ctx.Err() != nil {
			rc.mu.Lock()
			if prev != nil {
				rc.sites[origin] = prev
			} else {
				delete(rc.sites, origin)
			}
			rc.mu.Unlock()
			close(e.done)
			return nil, ctx.Err()
		}
		if unreachable != nil && prev != nil && prev.unreachable == nil {
			// RFC 9309 lets a crawler keep using its last copy while the
			// file is unreachable; that beats closing a known site.
			rules, unreachable = prev.rules, nil
		}
		e.rules, e.unreachable, e.until = rules, unreachable, rc.now().Add(ttl)
		if unreachable == nil {
			// The gate is per host name while robots.txt is per origin; a
			// host serving different delays on different ports gets the
			// latest one.
			c.gate(hostname).delay.Store(int64(rules.CrawlDelay()))
		}
		close(e.done)
		return e, nil
	}
}

// sweep drops expired verdicts; rc.mu is held.
func (rc *robotsCache) sweep() {
	now := rc.now()
	for k, e := range rc.sites {
		select {
		case <-e.done:
			if !now.Before(e.until) {
				delete(rc.sites, k)
			}
		default:
		}
	}
}

// fetchRobots reads origin's robots.txt and says what it means for us and
// for how long, following RFC 9309 section 2.3.1:
//   - 2xx: the file's rules, for a day;
//   - 4xx (but 429), or more redirects than we follow: no usable file, so
//     everything is allowed, for a day;
//   - 5xx, 429 or no answer: the site may be overloaded or its file
//     temporarily missing, and RFC 9309 says to assume complete disallow
//     rather than crawl a site whose rules we cannot see; we ask again after
//     robotsRetry. Google treats 429 the same way: it asks us to slow down.
func (c *Client) fetchRobots(ctx context.Context, origin string) (Robots, time.Duration, error) {
	resp, err := c.get(ctx, origin+"/robots.txt", Conditional{}, RobotsMaxBytes,
		getHow{accept: "text/plain, */*;q=0.5", truncate: true})
	var se *StatusError
	switch {
	case err == nil:
		return ParseRobots(resp.Body, c.robots.token), robotsTTL, nil
	case errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests,
		errors.Is(err, ErrTooManyRedirects):
		return Robots{}, robotsTTL, nil
	}
	return Robots{}, robotsRetry, err
}

// GetPage fetches a page as Get does without validators, but only where
// robots.txt allows: the URL and each redirect target are checked against
// their own site's robots.txt before they are requested (feed links often
// go through a redirector on another host). A refusal is an error wrapping
// ErrDisallowed; nothing is requested from the page's site but robots.txt.
func (c *Client) GetPage(ctx context.Context, rawURL string, maxBytes int64) (*Response, error) {
	target := strings.TrimSpace(rawURL)
	for hops := 0; ; hops++ {
		if err := c.CheckRobots(ctx, target); err != nil {
			return nil, err
		}
		resp, err := c.get(ctx, target, Conditional{}, maxBytes, getHow{noFollow: true})
		loc := redirectLocation(resp, err)
		if loc == "" {
			return resp, err
		}
		if hops >= c.opts.MaxRedirects {
			return nil, fmt.Errorf("fetch %s: %w (%d)", rawURL, ErrTooManyRedirects, c.opts.MaxRedirects)
		}
		base, perr := url.Parse(target)
		next, lerr := url.Parse(loc)
		if perr != nil || lerr != nil {
			return nil, fmt.Errorf("fetch %s: bad redirect to %q from %s", rawURL, loc, target)
		}
		target = base.ResolveReference(next).String()
	}
}

// redirectLocation is the Location of a redirect Get handed back unfollowed.
func redirectLocation(resp *Response, err error) string {
	var se *StatusError
	if resp == nil || !errors.As(err, &se) {
		return ""
	}
	switch se.Code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return resp.Header.Get("Location")
	}
	return ""
}
