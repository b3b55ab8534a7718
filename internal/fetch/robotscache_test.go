package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// robotsSite serves robots.txt from a swappable handler and logs every
// request path.
type robotsSite struct {
	*httptest.Server
	mu     sync.Mutex
	log    []string
	robots http.HandlerFunc
}

func newRobotsSite(t *testing.T, robots http.HandlerFunc) *robotsSite {
	t.Helper()
	s := &robotsSite{robots: robots}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.RequestURI())
		h := s.robots
		s.mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			h(w, r)
		case strings.HasPrefix(r.URL.Path, "/go/"):
			http.Redirect(w, r, strings.TrimPrefix(r.URL.Path, "/go"), http.StatusFound)
		default:
			fmt.Fprint(w, "page ", r.URL.Path)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *robotsSite) setRobots(h http.HandlerFunc) {
	s.mu.Lock()
	s.robots = h
	s.mu.Unlock()
}

// count is how many requests asked for path.
func (s *robotsSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.log {
		if p == path {
			n++
		}
	}
	return n
}

func robotsFile(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }
}

func robotsStatus(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", code) }
}

// TestCheckRobotsStatuses: what each kind of robots.txt answer means for
// an allowed-looking path and a disallowed-looking one (RFC 9309 2.3.1).
func TestCheckRobotsStatuses(t *testing.T) {
	big := "User-agent: *\nDisallow: /private\n" + strings.Repeat("# pad\n", RobotsMaxBytes/6+10) + "Disallow: /news\n"
	cases := []struct {
		name             string
		robots           http.HandlerFunc
		news, private    bool // allowed?
		unreachableError bool
	}{
		{"rules", robotsFile("User-agent: *\nDisallow: /private\n"), true, false, false},
		{"rules for us", robotsFile("User-agent: *\nDisallow: /\n\nUser-agent: Dateline\nDisallow: /private\n"), true, false, false},
		{"disallow all", robotsFile("User-agent: *\nDisallow: /\n"), false, false, false},
		{"empty file", robotsFile(""), true, true, false},
		{"404 allows all", robotsStatus(404), true, true, false},
		{"403 allows all", robotsStatus(403), true, true, false},
		{"410 allows all", robotsStatus(410), true, true, false},
		{"429 closes the site", robotsStatus(429), false, false, true},
		{"500 closes the site", robotsStatus(500), false, false, true},
		{"503 closes the site", robotsStatus(503), false, false, true},
		{"redirect followed", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.RawQuery == "" {
				http.Redirect(w, r, "/robots.txt?moved=1", http.StatusMovedPermanently)
				return
			}
			fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
		}, true, false, false},
		{"redirect loop allows all", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}, true, true, false},
		{"oversized file read up to the cap", robotsFile(big), true, false, false},
		{"HTML soft 404 allows all", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>Not found: try /news</body></html>")
		}, true, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			site := newRobotsSite(t, tc.robots)
			c := New(testOptions())
			ctx := context.Background()
			for path, want := range map[string]bool{"/news/1": tc.news, "/private/2": tc.private} {
				err := c.CheckRobots(ctx, site.URL+path)
				if want && err != nil {
					t.Errorf("%s: %v, want allowed", path, err)
				}
				if !want && !errors.Is(err, ErrDisallowed) {
					t.Errorf("%s: %v, want ErrDisallowed", path, err)
				}
				if tc.unreachableError && err != nil && !strings.Contains(err.Error(), "unreachable") {
					t.Errorf("%s: %v does not say robots.txt was unreachable", path, err)
				}
			}
		})
	}
}

// TestRobotsOneFetchPerSite: many checks for pages of one site while its
// robots.txt is being fetched share that one fetch; another site gets its own.
func TestRobotsOneFetchPerSite(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	site := newRobotsSite(t, func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(started) })
		<-release
		fmt.Fprint(w, "User-agent: *\nDisallow: /odd\n")
	})
	c := New(testOptions())
	fakeDNS(c, map[string]string{"a.test": "93.184.216.34", "b.test": "93.184.216.35"}, site.Listener.Addr().String())
	ctx := context.Background()

	type result struct {
		url string
		err error
	}
	results := make(chan result, 64)
	check := func(u string) {
		results <- result{u, c.CheckRobots(ctx, u)}
	}
	go check("http://a.test/even/0")
	<-started // a.test's robots.txt is in flight: everything below arrives during it
	n := 1
	for i := 1; i < 20; i++ {
		host := "a.test"
		if i%4 == 0 {
			host = "b.test"
		}
		kind := "even"
		if i%2 == 1 {
			kind = "odd"
		}
		go check(fmt.Sprintf("http://%s/%s/%d", host, kind, i))
		n++
	}
	close(release)
	for range n {
		r := <-results
		wantAllowed := strings.Contains(r.url, "/even/")
		if wantAllowed && r.err != nil {
			t.Errorf("%s: %v, want allowed", r.url, r.err)
		}
		if !wantAllowed && !errors.Is(r.err, ErrDisallowed) {
			t.Errorf("%s: %v, want ErrDisallowed", r.url, r.err)
		}
	}
	// Both fake hosts reach the same server, so two fetches in all: one each.
	if got := site.count("/robots.txt"); got != 2 {
		t.Errorf("robots.txt fetched %d times for two sites, want 2", got)
	}
}

// TestRobotsCacheExpiry: a file is kept for a day, an unreachable one closes
// the site only for a while, and a stale copy outlives an outage.
func TestRobotsCacheExpiry(t *testing.T) {
	site := newRobotsSite(t, robotsFile("User-agent: *\nDisallow: /x\n"))
	c := New(testOptions())
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	c.robots.now = func() time.Time { return now }
	ctx := context.Background()
	allowed := func(path string) bool {
		t.Helper()
		err := c.CheckRobots(ctx, site.URL+path)
		if err != nil && !errors.Is(err, ErrDisallowed) {
			t.Fatalf("%s: %v", path, err)
		}
		return err == nil
	}

	if !allowed("/y") || allowed("/x") {
		t.Fatal("first file not applied")
	}
	site.setRobots(robotsFile("User-agent: *\nDisallow: /y\n"))
	now = now.Add(23 * time.Hour)
	if !allowed("/y") || site.count("/robots.txt") != 1 {
		t.Fatalf("file refetched within a day (%d fetches)", site.count("/robots.txt"))
	}
	now = now.Add(2 * time.Hour)
	if allowed("/y") || !allowed("/x") || site.count("/robots.txt") != 2 {
		t.Fatalf("file not refetched after a day (%d fetches)", site.count("/robots.txt"))
	}

	// An outage after a good copy: the stale copy stands.
	site.setRobots(robotsStatus(503))
	now = now.Add(25 * time.Hour)
	if allowed("/y") || !allowed("/x") || site.count("/robots.txt") != 3 {
		t.Fatalf("stale copy not used during an outage (%d fetches)", site.count("/robots.txt"))
	}

	// A new site that is down from the start is closed, retried after a while.
	other := newRobotsSite(t, robotsStatus(500))
	if err := c.CheckRobots(ctx, other.URL+"/a"); !errors.Is(err, ErrDisallowed) {
		t.Fatalf("unreachable robots.txt: %v, want ErrDisallowed", err)
	}
	other.setRobots(robotsFile(""))
	now = now.Add(robotsRetry - time.Minute)
	if err := c.CheckRobots(ctx, other.URL+"/a"); !errors.Is(err, ErrDisallowed) || other.count("/robots.txt") != 1 {
		t.Fatalf("retried too soon: %v, %d fetches", err, other.count("/robots.txt"))
	}
	now = now.Add(2 * time.Minute)
	if err := c.CheckRobots(ctx, other.URL+"/a"); err != nil || other.count("/robots.txt") != 2 {
		t.Fatalf("not retried: %v, %d fetches", err, other.count("/robots.txt"))
	}
}

// TestRobotsCancelledNotCached: a fetch cut short by its caller's context
// says nothing about the site, so the next check fetches again.
func TestRobotsCancelledNotCached(t *testing.T) {
	var first sync.Once
	arrived := make(chan struct{})
	site := newRobotsSite(t, func(w http.ResponseWriter, r *http.Request) {
		hang := false
		first.Do(func() { hang = true; close(arrived) })
		if hang {
			<-r.Context().Done()
			return
		}
		fmt.Fprint(w, "User-agent: *\nDisallow: /x\n")
	})
	c := New(testOptions())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	if err := c.CheckRobots(ctx, site.URL+"/y"); !errors.Is(err, context.Canceled) || errors.Is(err, ErrDisallowed) {
		t.Fatalf("cancelled check: %v, want context.Canceled", err)
	}
	if err := c.CheckRobots(context.Background(), site.URL+"/y"); err != nil {
		t.Fatalf("check after a cancelled one: %v", err)
	}
	if n := site.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times, want 2", n)
	}
}

// TestRobotsGuardedAndIdentified: robots.txt goes through the same guard
// (a loopback site is refused and, its rules unknown, closed) and carries
// our User-Agent.
func TestRobotsGuardedAndIdentified(t *testing.T) {
	var mu sync.Mutex
	var ua string
	site := newRobotsSite(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ua = r.Header.Get("User-Agent")
		mu.Unlock()
		fmt.Fprint(w, "User-agent: *\nDisallow: /x\n")
	})
	guarded := New(Options{})
	err := guarded.CheckRobots(context.Background(), site.URL+"/y")
	if !errors.Is(err, ErrDisallowed) || !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("loopback robots.txt: %v, want ErrDisallowed and ErrBlockedAddress", err)
	}
	if n := site.count("/robots.txt"); n != 0 {
		t.Fatalf("the guard let %d requests through", n)
	}
	opts := testOptions()
	opts.UserAgent = "NewsBot/3 (+https://example.org/bot)"
	if err := New(opts).CheckRobots(context.Background(), site.URL+"/y"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if ua != opts.UserAgent {
		t.Errorf("robots.txt requested as %q, want %q", ua, opts.UserAgent)
	}
}

// TestRobotsCrawlDelay: a site's Crawl-delay becomes its host's least
// interval, capped, and goes away when the file drops it.
func TestRobotsCrawlDelay(t *testing.T) {
	site := newRobotsSite(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "slow.test" {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 86400\n")
			return
		}
		fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.05\n")
	})
	c := New(testOptions())
	fakeDNS(c, map[string]string{"a.test": "93.184.216.34", "slow.test": "93.184.216.35"}, site.Listener.Addr().String())
	now := time.Now()
	c.robots.now = func() time.Time { return now }
	ctx := context.Background()
	check := func(host string, want time.Duration) {
		t.Helper()
		if err := c.CheckRobots(ctx, "http://"+host+"/y"); err != nil {
			t.Fatal(err)
		}
		if got := c.gate(host).crawlDelay(); got != want {
			t.Errorf("%s: host interval floor %s, want %s", host, got, want)
		}
	}
	check("a.test", 50*time.Millisecond)
	check("slow.test", MaxCrawlDelay)
	site.setRobots(robotsFile("User-agent: *\nDisallow: /x\n"))
	now = now.Add(robotsTTL + time.Minute)
	check("a.test", 0)
}

// TestGetPage: pages are fetched only where robots.txt allows, redirect
// targets included, while Get (feeds) ignores robots.txt.
func TestGetPage(t *testing.T) {
	site := newRobotsSite(t, robotsFile("User-agent: *\nDisallow: /private\n"))
	c := New(testOptions())
	ctx := context.Background()

	r, err := c.GetPage(ctx, site.URL+"/news/1", 0)
	if err != nil || string(r.Body) != "page /news/1" {
		t.Fatalf("allowed page: %v", err)
	}
	if _, err := c.GetPage(ctx, site.URL+"/private/1", 0); !errors.Is(err, ErrDisallowed) {
		t.Errorf("disallowed page: %v, want ErrDisallowed", err)
	}
	if n := site.count("/private/1"); n != 0 {
		t.Errorf("disallowed page requested %d times", n)
	}
	// A redirect to an allowed page is followed, one to a disallowed page is not.
	r, err = c.GetPage(ctx, site.URL+"/go/news/2", 0)
	if err != nil || string(r.Body) != "page /news/2" || r.FinalURL != site.URL+"/news/2" {
		t.Fatalf("redirect to allowed page: %v, %+v", err, r)
	}
	if _, err := c.GetPage(ctx, site.URL+"/go/private/3", 0); !errors.Is(err, ErrDisallowed) {
		t.Errorf("redirect to disallowed page: %v, want ErrDisallowed", err)
	}
	if n := site.count("/private/3"); n != 0 {
		t.Errorf("disallowed redirect target requested %d times", n)
	}
	if _, err := c.GetPage(ctx, site.URL+"/go/go/go/go/go/go/news/4", 0); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 redirects: %v, want ErrTooManyRedirects", err)
	}
	if _, err := c.GetPage(ctx, site.URL+"/go/go/go/go/go/news/5", 0); err != nil {
		t.Errorf("5 redirects: %v", err)
	}
	// Get is for feeds the operator subscribed to: robots.txt does not apply.
	if r, err := c.Get(ctx, site.URL+"/private/feed.xml", Conditional{}, 0); err != nil || string(r.Body) != "page /private/feed.xml" {
		t.Errorf("Get of a disallowed path: %v", err)
	}
	if n := site.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
}
