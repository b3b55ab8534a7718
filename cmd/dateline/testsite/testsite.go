// Package testsite is a local publisher for scale-out tests and demos: many
// outlets, each with an RSS feed and small article pages, an OPML list of
// them all, and a log of every request it served. It never touches the
// internet; its text is generated.
package testsite

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Site serves Feeds feeds. Each round publishes Items new items in every
// feed, and one wire story that every feed lists under the same URL, so
// processes polling different feeds race to store it; round 1 is published
// from the start.
type Site struct {
	Feeds, Items int
	// Delay is how long an article page takes, standing in for the network.
	Delay time.Duration

	start time.Time
	mu    sync.Mutex
	round int
	log   []Request
	hosts []string // host:port of each address Serve listens on
}

// Request is one request the site served.
type Request struct {
	Path  string
	At    time.Time
	Round int // the round published when it was served
}

// New returns a site of feeds outlets publishing items articles per round.
func New(feeds, items int, delay time.Duration) *Site {
	return &Site{Feeds: feeds, Items: items, Delay: delay, start: time.Now().UTC().Truncate(time.Minute), round: 1}
}

// FeedPath and PagePath name a feed and an article page on the site.
func FeedPath(feed int) string       { return fmt.Sprintf("/feeds/%03d.xml", feed) }
func PagePath(feed, item int) string { return fmt.Sprintf("/a/%03d/%d", feed, item) }

// WirePath names the wire story of a round, listed in every feed.
func WirePath(round int) string { return fmt.Sprintf("/wire/%d", round) }

// NextRound publishes Items more articles in every feed.
func (s *Site) NextRound() {
	s.mu.Lock()
	s.round++
	s.mu.Unlock()
}

// Round is the number of rounds published.
func (s *Site) Round() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.round
}

// Published is how many articles the site lists now.
func (s *Site) Published() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.articles()
}

func (s *Site) articles() int { return (s.Feeds*s.Items + 1) * s.round }

// Requests returns the request log from index from on.
func (s *Site) Requests(from int) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if from > len(s.log) {
		from = len(s.log)
	}
	return append([]Request(nil), s.log[from:]...)
}

// Logged is how many requests the log holds.
func (s *Site) Logged() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if strings.HasPrefix(p, "/_") {
		s.control(w, r)
		return
	}
	s.mu.Lock()
	round := s.round
	s.log = append(s.log, Request{Path: p, At: time.Now(), Round: round})
	s.mu.Unlock()
	base := "http://" + r.Host
	switch {
	case p == "/opml.xml":
		s.opml(w, base)
	case strings.HasPrefix(p, "/feeds/"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/feeds/"), ".xml"))
		if err != nil || n < 0 || n >= s.Feeds {
			http.NotFound(w, r)
			return
		}
		s.feed(w, base, n, round)
	case strings.HasPrefix(p, "/wire/"):
		k, err := strconv.Atoi(strings.TrimPrefix(p, "/wire/"))
		if err != nil || k < 1 || k > round {
			http.NotFound(w, r)
			return
		}
		if s.wait(r) {
			s.wire(w, base, k)
		}
	case strings.HasPrefix(p, "/a/"):
		var n, i int
		if _, err := fmt.Sscanf(p, "/a/%d/%d", &n, &i); err != nil || n < 0 || n >= s.Feeds || i < 0 || i >= s.Items*round {
			http.NotFound(w, r)
			return
		}
		if s.wait(r) {
			s.page(w, base, n, i)
		}
	default:
		http.NotFound(w, r)
	}
}

// wait stands in for the network; false if the client gave up.
func (s *Site) wait(r *http.Request) bool {
	select {
	case <-time.After(s.Delay):
		return true
	case <-r.Context().Done():
		return false
	}
}

// control serves the demo script: GET /_stats counts requests per path
// (feeds and pages) as JSON, GET /_fetches?round=N lists "count path" for
// every feed and page requested during round N (all rounds without N), in
// path order, and POST /_next publishes the next round.
func (s *Site) control(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_fetches":
		round, _ := strconv.Atoi(r.URL.Query().Get("round"))
		counts := map[string]int{}
		s.mu.Lock()
		for _, q := range s.log {
			if round == 0 || q.Round == round {
				counts[q.Path]++
			}
		}
		s.mu.Unlock()
		paths := make([]string, 0, len(counts))
		for p := range counts {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, p := range paths {
			fmt.Fprintf(w, "%d %s\n", counts[p], p)
		}
	case "/_next":
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		s.NextRound()
		fmt.Fprintf(w, "published %d articles\n", s.Published())
	case "/_stats":
		s.mu.Lock()
		st := Stats{Round: s.round, Published: s.articles(), Fetches: map[string]int{}}
		for _, q := range s.log {
			st.Fetches[q.Path]++
			switch {
			case strings.HasPrefix(q.Path, "/feeds/"):
				st.FeedRequests++
			case strings.HasPrefix(q.Path, "/a/"):
				st.PageRequests++
			}
		}
		if len(s.log) > 0 {
			st.First, st.Last = s.log[0].At, s.log[len(s.log)-1].At
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(st)
	default:
		http.NotFound(w, r)
	}
}

// Stats summarizes the request log for the demo script.
type Stats struct {
	Round        int            `json:"round"`
	Published    int            `json:"published"`
	FeedRequests int            `json:"feed_requests"`
	PageRequests int            `json:"page_requests"`
	Fetches      map[string]int `json:"fetches"`
	First        time.Time      `json:"first"`
	Last         time.Time      `json:"last"`
}

var countries = []string{"US", "GB", "DE", "FR", "IN", "AU", "CA", "IE", "NZ", "ZA"}

func (s *Site) opml(w http.ResponseWriter, base string) {
	w.Header().Set("Content-Type", "text/x-opml")
	s.mu.Lock()
	hosts := s.hosts
	s.mu.Unlock()
	var b strings.Builder
	for n := range s.Feeds {
		home := base
		if len(hosts) > 0 {
			home = "http://" + hosts[n%len(hosts)]
		}
		fmt.Fprintf(&b, `<outline type="rss" title="Outlet %03d" xmlUrl="%s%s" htmlUrl="%s/" country="%s" language="en"/>`+"\n",
			n, home, FeedPath(n), home, countries[n%len(countries)])
	}
	fmt.Fprintf(w, "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head><title>Test outlets</title></head><body>\n%s</body></opml>\n", b.String())
}

func (s *Site) feed(w http.ResponseWriter, base string, n, round int) {
	w.Header().Set("Content-Type", "application/rss+xml")
	var b strings.Builder
	for i := s.Items*round - 1; i >= 0; i-- {
		t := topicOf(n, i)
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s%s</link><guid isPermaLink=\"false\">outlet-%03d-%d</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(headline(t, n)), base, PagePath(n, i), n, i, s.pubTime(i).Format(time.RFC1123Z), html.EscapeString(lede(t, n)))
	}
	wireBase := base
	s.mu.Lock()
	if len(s.hosts) > 0 {
		wireBase = "http://" + s.hosts[0]
	}
	s.mu.Unlock()
	for k := round; k >= 1; k-- {
		t := wireTopic(k)
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s%s</link><guid isPermaLink=\"false\">outlet-%03d-wire-%d</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(headline(t, 0)), wireBase, WirePath(k), n, k, s.pubTime(k*s.Items).Format(time.RFC1123Z), html.EscapeString(lede(t, 0)))
	}
	fmt.Fprintf(w, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Outlet %03d</title><link>%s/</link>\n%s</channel></rss>\n", n, base, b.String())
}

func (s *Site) page(w http.ResponseWriter, base string, n, i int) {
	t := topicOf(n, i)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%[1]s | Outlet %03[2]d</title>
<link rel="canonical" href="%[3]s%[4]s"><meta property="article:published_time" content="%[5]s"></head>
<body><nav><a href="/">Home</a></nav><main><article><h1>%[1]s</h1><p class="byline">By Staff of Outlet %03[2]d</p>
<p>%[6]s</p><p>%[7]s</p><p>%[8]s</p></article></main><footer>© Outlet %03[2]d</footer></body></html>`,
		html.EscapeString(headline(t, n)), n, base, PagePath(n, i), s.pubTime(i).Format(time.RFC3339),
		html.EscapeString(lede(t, n)), html.EscapeString(middle(t, n, i)), html.EscapeString(closing(t, n)))
}

// wire serves round k's wire story, the same page whichever feed led here.
func (s *Site) wire(w http.ResponseWriter, base string, k int) {
	t := wireTopic(k)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%[1]s | Wire</title>
<link rel="canonical" href="%[2]s%[3]s"><meta property="article:published_time" content="%[4]s"></head>
<body><main><article><h1>%[1]s</h1><p class="byline">By Wire Staff</p><p>%[5]s</p><p>%[6]s</p><p>%[7]s</p></article></main></body></html>`,
		html.EscapeString(headline(t, 0)), base, WirePath(k), s.pubTime(k*s.Items).Format(time.RFC3339),
		html.EscapeString(lede(t, 0)), html.EscapeString(middle(t, 0, k)), html.EscapeString(closing(t, 0)))
}

// pubTime spreads items over the last hours, newest item last.
func (s *Site) pubTime(i int) time.Time { return s.start.Add(time.Duration(i-500) * time.Minute) }

// A topic is an event that a few neighbouring outlets report on in the same
// round, each in its own words, so the clusterer has stories of realistic
// size to form. Its names and key words are made-up words drawn from the
// topic's number, so different events share little vocabulary.
type topic struct {
	place, person, thing, action, figure string
	words                                []string
}

// OutletsPerStory is how many outlets cover each event.
const OutletsPerStory = 5

func topicOf(n, i int) topic { return topicK(uint64(i)*1000 + uint64(n/OutletsPerStory)) }

func wireTopic(round int) topic { return topicK(1<<40 + uint64(round)) }

func topicK(k uint64) topic {
	w := func(j int) string { return word(k*16 + uint64(j)) }
	t := topic{
		place:  title(w(0)),
		person: title(w(1)) + " " + title(w(2)),
		thing:  w(3),
		action: w(4),
		figure: strconv.Itoa(10 + int(k*37%890)),
	}
	for j := 5; j < 12; j++ {
		t.words = append(t.words, w(j))
	}
	return t
}

var syllables = []string{"ka", "lo", "mer", "tis", "bra", "no", "vel", "du", "sen", "qua", "ri", "zo", "pel", "gan", "tu", "mi", "sor", "fe", "lan", "cro", "bi", "dax", "ho", "wen"}

// word makes a pronounceable made-up word from seed.
func word(seed uint64) string {
	x := seed*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	var b strings.Builder
	for range 3 {
		x ^= x >> 29
		x *= 0xBF58476D1CE4E5B9
		b.WriteString(syllables[x%uint64(len(syllables))])
	}
	return b.String()
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

var (
	verbs  = []string{"reports on", "looks at", "examines", "covers", "explains"}
	angles = []string{"update", "latest", "what we know", "in detail"}
)

func headline(t topic, n int) string {
	return fmt.Sprintf("%s %s the %s in %s: %s", t.person, t.action, t.thing, t.place, angles[n%len(angles)])
}

func lede(t topic, n int) string {
	return fmt.Sprintf("Outlet %03d %s how %s %s the %s in %s, a move that affects %s households.",
		n, verbs[n%len(verbs)], t.person, t.action, t.thing, t.place, t.figure)
}

func middle(t topic, n, i int) string {
	w := t.words
	return fmt.Sprintf("People in %s said the %s and the %s had worried them for weeks. %s said the %s would cost %s million, while critics pointed to the %s and the %s. A %s about the %s is due on day %d.",
		t.place, w[0], w[1], t.person, w[2], t.figure, w[3], w[4], w[5], w[6], i%28+1)
}

func closing(t topic, n int) string {
	return fmt.Sprintf("Opponents in %s called the %s plan rushed; %s promised a review of the %s within %d days.", t.place, t.thing, t.person, t.words[0], 7+n%21)
}

// Serve listens on up to hosts loopback addresses, 127.0.0.1, 127.0.0.2, …,
// and spreads the outlets over them in turn: a fetcher sends one request at
// a time to a host, so outlets sharing one host would be polled one after
// the other, which no real set of publishers forces. Linux routes all of
// 127/8 to the loopback interface; where another address cannot be bound
// (macOS), the site makes do with those it has. port 0 picks free ports;
// otherwise every address listens on port. It returns the base URL of the
// first address and a function that stops serving.
func (s *Site) Serve(hosts, port int) (string, func(), error) {
	var lns []net.Listener
	for i := range max(hosts, 1) {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:%d", i+1, port))
		if err != nil {
			if i == 0 {
				return "", nil, fmt.Errorf("listen: %w", err)
			}
			break
		}
		lns = append(lns, ln)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	var names []string
	for _, ln := range lns {
		names = append(names, ln.Addr().String())
		go srv.Serve(ln) // returns when stopped
	}
	s.mu.Lock()
	s.hosts = names
	s.mu.Unlock()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}
	return "http://" + names[0], stop, nil
}
