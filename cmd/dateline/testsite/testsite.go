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
	"strconv"
	"strings"
	"sync"
	"time"
)

// Site serves Feeds feeds. Each round publishes Items new items in every
// feed; round 1 is published from the start.
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
	Path string
	At   time.Time
}

// New returns a site of feeds outlets publishing items articles per round.
func New(feeds, items int, delay time.Duration) *Site {
	return &Site{Feeds: feeds, Items: items, Delay: delay, start: time.Now().UTC().Truncate(time.Minute), round: 1}
}

// FeedPath and PagePath name a feed and an article page on the site.
func FeedPath(feed int) string       { return fmt.Sprintf("/feeds/%03d.xml", feed) }
func PagePath(feed, item int) string { return fmt.Sprintf("/a/%03d/%d", feed, item) }

// NextRound publishes Items more articles in every feed.
func (s *Site) NextRound() {
	s.mu.Lock()
	s.round++
	s.mu.Unlock()
}

// Published is how many articles the site lists now.
func (s *Site) Published() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Feeds * s.Items * s.round
}

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
	s.log = append(s.log, Request{Path: p, At: time.Now()})
	round := s.round
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
	case strings.HasPrefix(p, "/a/"):
		var n, i int
		if _, err := fmt.Sscanf(p, "/a/%d/%d", &n, &i); err != nil || n < 0 || n >= s.Feeds || i < 0 || i >= s.Items*round {
			http.NotFound(w, r)
			return
		}
		select {
		case <-time.After(s.Delay):
		case <-r.Context().Done():
			return
		}
		s.page(w, base, n, i)
	default:
		http.NotFound(w, r)
	}
}

// control serves the demo script: GET /_stats counts requests per path
// (feeds and pages), POST /_next publishes the next round.
func (s *Site) control(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_next":
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		s.NextRound()
		fmt.Fprintf(w, "published %d articles\n", s.Published())
	case "/_stats":
		s.mu.Lock()
		st := Stats{Round: s.round, Published: s.Feeds * s.Items * s.round, Fetches: map[string]int{}}
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
			html.EscapeString(headline(t, n)), base, PagePath(n, i), n, i, s.published(i).Format(time.RFC1123Z), html.EscapeString(lede(t, n)))
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
		html.EscapeString(headline(t, n)), n, base, PagePath(n, i), s.published(i).Format(time.RFC3339),
		html.EscapeString(lede(t, n)), html.EscapeString(middle(t, n, i)), html.EscapeString(closing(t, n)))
}

// published spreads items over the last hours, newest item last.
func (s *Site) published(i int) time.Time { return s.start.Add(time.Duration(i-500) * time.Minute) }

// A topic is an event several outlets report on in their own words, so the
// clusterer has real stories to form.
type topic struct{ place, subject, official, figure string }

var (
	places    = []string{"Lisbon", "Nairobi", "Osaka", "Quito", "Tromsø", "Adelaide", "Gdańsk", "Halifax", "Tbilisi", "Valparaíso", "Kraków", "Da Nang", "Porto Alegre", "Accra"}
	subjects  = []string{"harbour bridge repairs", "a river flood warning", "the tram network expansion", "a teachers' strike", "the new water treatment plant", "a wildfire near the airport", "the city budget vote", "a hospital cyber attack", "the marathon route change", "a ferry collision"}
	officials = []string{"the mayor", "the regional governor", "the transport minister", "the fire chief", "the health director", "the union leader"}
)

func topicOf(n, i int) topic {
	// Neighbouring outlets cover the same events in the same round.
	k := (n/4)*7 + i*3
	return topic{
		place:    places[k%len(places)],
		subject:  subjects[(k/len(places)+i)%len(subjects)],
		official: officials[(k+i)%len(officials)],
		figure:   strconv.Itoa(10 + (k*37)%890),
	}
}

var verbs = []string{"reports on", "looks at", "examines", "covers", "explains"}

func headline(t topic, n int) string {
	return fmt.Sprintf("%s: %s %s as %s speaks", t.place, strings.ToUpper(t.subject[:1])+t.subject[1:], []string{"update", "latest", "what we know", "in detail"}[n%4], t.official)
}

func lede(t topic, n int) string {
	return fmt.Sprintf("Outlet %03d %s %s in %s, where %s said on Tuesday that %s people were affected.", n, verbs[n%len(verbs)], t.subject, t.place, t.official, t.figure)
}

func middle(t topic, n, i int) string {
	return fmt.Sprintf("Residents of %s told reporters that %s had been expected for weeks. According to %s, the cost could reach %s million, and a further statement is due on day %d. Local groups asked for a public meeting about %s.",
		t.place, t.subject, t.official, t.figure, i%28+1, t.subject)
}

func closing(t topic, n int) string {
	return fmt.Sprintf("Critics in %s said the response to %s came too late; %s rejected that and promised a review within %d days.", t.place, t.subject, t.official, 7+n%21)
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
