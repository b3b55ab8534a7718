package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dateline-news/dateline/cmd/dateline/testsite"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

// syncBuffer collects a child process's log while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is one running `dateline serve` process.
type server struct {
	cmd   *exec.Cmd
	addr  string
	owner string // its name on feed leases
	logs  *syncBuffer
}

func (s *server) base() string { return "http://" + s.addr }

// leads reports whether the process has logged taking over clustering.
func (s *server) leads() bool {
	return strings.Contains(s.logs.String(), "leading the clustering stage")
}

var ledRE = regexp.MustCompile(`time=(\S+) level=INFO msg="leading the clustering stage"`)

// ledAt returns when the process first logged taking over clustering.
func (s *server) ledAt() time.Time {
	m := ledRE.FindStringSubmatch(s.logs.String())
	if m == nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, m[1])
	return t
}

var polledRE = regexp.MustCompile(`msg="polled feeds".* feeds=(\d+) new_articles=(\d+)`)

// polled sums the process's "polled feeds" log lines.
func (s *server) polled() (feeds, articles int) {
	for _, m := range polledRE.FindAllStringSubmatch(s.logs.String(), -1) {
		f, _ := strconv.Atoi(m[1])
		a, _ := strconv.Atoi(m[2])
		feeds += f
		articles += a
	}
	return feeds, articles
}

// buildDateline compiles the binary once per test or benchmark.
func buildDateline(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(tb.TempDir(), "dateline")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("build: %v", err)
	}
	return bin
}

// startServe runs `dateline serve` on dsn; it is killed when the test ends.
func startServe(tb testing.TB, bin, dsn string, extra ...string) *server {
	tb.Helper()
	ln := freeAddrTB(tb)
	host, _ := os.Hostname()
	s := &server{addr: ln, owner: host + "/" + ln, logs: &syncBuffer{}}
	args := append([]string{"serve", "--addr", s.addr, "--database", dsn, "--allow-private-networks", "--per-host-interval", "0s"}, extra...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stderr = s.logs
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start serve: %v", err)
	}
	tb.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
	})
	return s
}

// serveSite serves the site with one loopback host per outlet (see
// testsite.Site.Serve) until the test ends, and returns its first URL.
func serveSite(tb testing.TB, site *testsite.Site) string {
	tb.Helper()
	u, stop, err := site.Serve(site.Feeds, 0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return u
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

func freeAddrTB(tb testing.TB) string {
	tb.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.Listener.Addr().String()
	srv.Close()
	return addr
}

// importSite subscribes the database to every feed of the site, through the
// CLI as a person would.
func importSite(tb testing.TB, dsn, siteURL string) {
	tb.Helper()
	resp, err := http.Get(siteURL + "/opml.xml")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	opml := filepath.Join(tb.TempDir(), "outlets.opml")
	f, err := os.Create(opml)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	var out strings.Builder
	if err := run(context.Background(), []string{"feeds", "import", "--database", dsn, opml}, nil, &out, io.Discard); err != nil {
		tb.Fatalf("feeds import: %v (%s)", err, out.String())
	}
}

// stored counts articles and those that have a story.
func stored(db *sql.DB) (articles, clustered int, err error) {
	err = db.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN story_id <> 0 THEN 1 ELSE 0 END), 0) FROM articles`).Scan(&articles, &clustered)
	return articles, clustered, err
}

// withAppName returns dsn with its sessions named name in pg_stat_activity.
func withAppName(tb testing.TB, dsn, name string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; %s", what, within, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func count(db *sql.DB, query string, args ...any) int {
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		return -1
	}
	return n
}

// TestScaleOutPostgres runs two real `dateline serve` processes on one
// PostgreSQL database against a local publisher of 100 feeds. It checks from
// the publisher's request log that the processes share the feeds without
// polling any twice, then kills the clustering leader with SIGKILL in the
// middle of the next interval's ingest and checks that the survivor takes
// over its leases and the clustering and finishes with nothing lost or
// doubled.
func TestScaleOutPostgres(t *testing.T) {
	dsn := storetest.FreshPostgres(t)
	bin := buildDateline(t)
	const feeds, items = 100, 3
	site := testsite.New(feeds, items, 40*time.Millisecond)
	siteURL := serveSite(t, site)
	importSite(t, dsn, siteURL)

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	const interval, lease = time.Minute, 3 * time.Second
	flags := []string{"--poll-interval", interval.String(), "--lease", lease.String()}
	mark := site.Logged()
	// Each process names its PostgreSQL sessions, so the test can see when
	// a killed one's sessions are gone.
	procs := []*server{startServe(t, bin, withAppName(t, dsn, "dateline-0"), flags...), startServe(t, bin, withAppName(t, dsn, "dateline-1"), flags...)}
	defer func() {
		if t.Failed() || testing.Verbose() {
			for i, p := range procs {
				var lines []string
				for _, l := range strings.Split(p.logs.String(), "\n") {
					if !strings.Contains(l, "msg=request") {
						lines = append(lines, l)
					}
				}
				t.Logf("process %d (%s) log, requests left out:\n%s", i, p.owner, strings.Join(lines, "\n"))
			}
		}
	}()

	// Interval 1: both processes start on 100 due feeds at once.
	want := site.Published()
	done := func() (bool, string) {
		n, c, err := stored(db)
		unsaved := count(db, `SELECT COUNT(*) FROM feeds WHERE last_poll = 0 OR lease_owner <> ''`)
		return err == nil && n == want && c == want && unsaved == 0,
			fmt.Sprintf("%d of %d articles, %d clustered, %d feeds not saved, err %v", n, want, c, unsaved, err)
	}
	waitFor(t, 60*time.Second, "first interval ingested and clustered", done)
	// A process logs "polled feeds" when its round ends, after every poll
	// it started has finished (and so reached the publisher's log); only
	// then can the log show whether a feed was polled twice.
	waitFor(t, 30*time.Second, "both processes ended their first round", func() (bool, string) {
		var ended []bool
		for _, p := range procs {
			f, _ := p.polled()
			ended = append(ended, f > 0)
		}
		return !slices.Contains(ended, false), fmt.Sprintf("round ended per process: %v", ended)
	})
	reqs := site.Requests(mark)
	checkOnce(t, "interval 1", reqs, feeds, 0, items, 1, nil)
	total := 0
	for i, p := range procs {
		f, a := p.polled()
		t.Logf("interval 1: process %d polled %d feeds, stored %d articles", i, f, a)
		if f == 0 {
			t.Errorf("process %d polled no feed: the work was not shared", i)
		}
		total += f
	}
	if total != feeds {
		t.Errorf("the processes polled %d feeds in all, want %d (each once)", total, feeds)
	}
	if early := count(db, `SELECT COUNT(*) FROM feeds WHERE next_poll < last_poll + $1`, interval.Microseconds()); early != 0 {
		t.Errorf("%d feeds scheduled sooner than the interval", early)
	}
	leaders := 0
	for _, p := range procs {
		if p.leads() {
			leaders++
		}
	}
	if leaders != 1 {
		t.Fatalf("%d processes lead clustering, want exactly 1", leaders)
	}

	// Interval 2: the publisher adds articles and the interval elapses (the
	// test moves the schedule rather than wait a minute, the floor feed
	// polling allows). The leader is killed mid-ingest.
	mark = site.Logged()
	site.NextRound()
	if _, err := db.Exec(`UPDATE feeds SET next_poll = $1`, time.Now().UnixMicro()); err != nil {
		t.Fatal(err)
	}
	want = site.Published()
	waitFor(t, 30*time.Second, "second interval under way", func() (bool, string) {
		n, _, err := stored(db)
		return err == nil && n >= want-2*feeds*items/3, fmt.Sprintf("%d articles, err %v", n, err)
	})
	dead, survivor, deadApp := procs[0], procs[1], "dateline-0"
	if !dead.leads() {
		dead, survivor, deadApp = survivor, dead, "dateline-1"
	}
	if survivor.leads() {
		t.Fatal("both processes lead clustering")
	}
	killAt := time.Now().Truncate(time.Millisecond) // log times have milliseconds
	if err := dead.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	dead.cmd.Wait()
	killed := time.Now()
	before, _, _ := stored(db)
	if before >= want {
		t.Fatalf("ingest finished before the kill (%d articles); slow the site down", before)
	}
	// A lease the dead process asked for may still commit until PostgreSQL
	// has ended its sessions; read its leases after that.
	waitFor(t, 30*time.Second, "PostgreSQL ended the killed process's sessions", func() (bool, string) {
		n := count(db, `SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1`, deadApp)
		return n == 0, fmt.Sprintf("%d sessions left", n)
	})
	held := map[string]time.Time{} // feed path -> lease end, for the dead process's leases
	rows, err := db.Query(`SELECT url, lease_until FROM feeds WHERE lease_owner = $1`, dead.owner)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var u string
		var until int64
		if err := rows.Scan(&u, &until); err != nil {
			t.Fatal(err)
		}
		held[pathOf(u)] = time.UnixMicro(until)
	}
	rows.Close()
	t.Logf("killed the leader %s at %d of %d articles, holding %d feed leases", dead.owner, before, want, len(held))

	waitFor(t, 60*time.Second, "survivor finished the second interval", done)
	// One leader at a time: the survivor leads only once the leader is dead.
	if at := survivor.ledAt(); at.IsZero() {
		t.Error("the survivor never took over clustering")
	} else if at.Before(killAt) {
		t.Errorf("the survivor took over clustering at %s, before the leader was killed at %s", at.Format(time.StampMilli), killAt.Format(time.StampMilli))
	}
	reqs = site.Requests(mark)
	checkOnce(t, "interval 2", reqs, feeds, items, 2*items, 2, held)
	for _, q := range reqs {
		var n, i int
		if _, err := fmt.Sscanf(q.Path, "/a/%d/%d", &n, &i); (err == nil && i < items) || q.Path == testsite.WirePath(1) {
			t.Errorf("interval 2 fetched %s, an article already stored", q.Path)
		}
	}
	checkIntegrity(t, db, site)

	total, urls, clustered, err := countArticles(survivor.base())
	if err != nil {
		t.Fatalf("article API: %v", err)
	}
	if total != want || clustered != want || len(urls) != want {
		t.Errorf("article API lists %d articles (%d distinct, %d in a story), want %d", total, len(urls), clustered, want)
	}
	t.Logf("%d articles in %d live stories; the survivor took over %d leases and finished %v after the kill",
		want, count(db, `SELECT COUNT(*) FROM stories WHERE merged_into = 0`), len(held), time.Since(killed).Round(time.Second))
}

// checkOnce checks a request log against the rule that each feed is fetched
// once per interval, and each new article page once (pages with index in
// [from, to)). held lists feeds whose lease a killed process kept: those may
// be fetched a second time, but only after that lease ran out. The round's
// wire story, listed in every feed, may be fetched by each process at once
// (and again by a survivor); that it is stored once is checkIntegrity's job.
func checkOnce(t *testing.T, when string, reqs []testsite.Request, feeds, from, to, round int, held map[string]time.Time) {
	t.Helper()
	fetches := map[string][]time.Time{}
	for _, q := range reqs {
		fetches[q.Path] = append(fetches[q.Path], q.At)
	}
	for n := range feeds {
		p := testsite.FeedPath(n)
		got := fetches[p]
		until, wasHeld := held[p]
		switch {
		case len(got) == 1:
		case len(got) == 2 && wasHeld:
			if got[1].Before(until) {
				t.Errorf("%s: %s fetched again at %s while the dead process's lease ran until %s",
					when, p, got[1].Format("15:04:05.000"), until.Format("15:04:05.000"))
			}
		default:
			t.Errorf("%s: %s fetched %d times (lease held by the killed process: %v), want once", when, p, len(got), wasHeld)
		}
		for i := from; i < to; i++ {
			pp := testsite.PagePath(n, i)
			if c := len(fetches[pp]); c != 1 && (!wasHeld || c != 2) {
				t.Errorf("%s: page %s fetched %d times", when, pp, c)
			}
		}
	}
	if c := len(fetches[testsite.WirePath(round)]); c < 1 || c > 3 {
		t.Errorf("%s: wire story fetched %d times, want 1 to 3", when, c)
	} else {
		t.Logf("%s: the wire story listed in all %d feeds was fetched %d time(s)", when, feeds, c)
	}
}

// checkIntegrity checks the database: every published article stored once,
// each in exactly one live story, and the stories' counts agree.
func checkIntegrity(t *testing.T, db *sql.DB, site *testsite.Site) {
	t.Helper()
	want := site.Published()
	rows, err := db.Query(`SELECT url FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for rows.Next() {
		var u string
		rows.Scan(&u)
		seen[pathOf(u)]++
	}
	rows.Close()
	var paths []string
	for k := 1; k <= site.Round(); k++ {
		paths = append(paths, testsite.WirePath(k))
	}
	for n := range site.Feeds {
		for i := range site.Items * site.Round() {
			paths = append(paths, testsite.PagePath(n, i))
		}
	}
	missing := 0
	for _, p := range paths {
		switch c := seen[p]; c {
		case 1:
		case 0:
			missing++
		default:
			t.Errorf("%s stored %d times", p, c)
		}
	}
	if missing > 0 || len(seen) != want {
		t.Errorf("%d articles missing, %d distinct stored, want %d", missing, len(seen), want)
	}
	checks := []struct{ what, query string }{
		{"articles sharing a source and GUID", `SELECT COUNT(*) FROM (SELECT source_id, guid FROM articles GROUP BY source_id, guid HAVING COUNT(*) > 1) d`},
		{"articles without a live story", `SELECT COUNT(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL OR s.merged_into <> 0`},
		{"live stories whose article count is wrong", `SELECT COUNT(*) FROM stories s WHERE s.merged_into = 0 AND s.articles <> (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id)`},
		{"copies of an article outside its story", `SELECT COUNT(*) FROM articles a JOIN articles o ON o.id = a.copy_of WHERE a.copy_of <> 0 AND a.story_id <> o.story_id`},
	}
	for _, c := range checks {
		if n := count(db, c.query); n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	if n := count(db, `SELECT COALESCE(SUM(articles), 0) FROM stories WHERE merged_into = 0`); n != want {
		t.Errorf("live stories hold %d articles in all, want %d", n, want)
	}
}

// BenchmarkScaleOut measures ingest throughput of real `dateline serve`
// processes on a local publisher of 100 feeds × 20 articles (and a wire
// story all list), one loopback host per feed: one process on
// SQLite, one and two on PostgreSQL, with article pages answering at once
// and after 20 ms (a stand-in for the network). Each run is long; use
// -benchtime 1x. articles/s counts from the first request the publisher
// sees to the last article stored; clustered/s to the last article grouped.
func BenchmarkScaleOut(b *testing.B) {
	bin := buildDateline(b)
	const feeds, items = 100, 20
	for _, delay := range []time.Duration{0, 20 * time.Millisecond} {
		for _, c := range []struct {
			backend string
			procs   int
		}{{"sqlite", 1}, {"postgres", 1}, {"postgres", 2}} {
			b.Run(fmt.Sprintf("page=%v/%s-%d", delay, c.backend, c.procs), func(b *testing.B) {
				var ingest, grouped time.Duration
				articles := 0
				for range b.N {
					b.StopTimer()
					dsn, driver := filepath.Join(b.TempDir(), "dateline.db"), "sqlite"
					if c.backend == "postgres" {
						dsn, driver = storetest.FreshPostgres(b), "pgx"
					}
					site := testsite.New(feeds, items, delay)
					siteURL, stop, err := site.Serve(feeds, 0)
					if err != nil {
						b.Fatal(err)
					}
					importSite(b, dsn, siteURL)
					db, err := sql.Open(driver, dsn)
					if err != nil {
						b.Fatal(err)
					}
					mark, want := site.Logged(), site.Published()
					b.StartTimer()
					var procs []*server
					for range c.procs {
						procs = append(procs, startServe(b, bin, dsn))
					}
					var storedAt time.Time
					deadline := time.Now().Add(5 * time.Minute)
					for {
						n, cl, err := stored(db)
						if err != nil && time.Now().After(deadline) {
							b.Fatal(err)
						}
						if n == want && storedAt.IsZero() {
							storedAt = time.Now()
						}
						if cl == want {
							break
						}
						if time.Now().After(deadline) {
							b.Fatalf("%d of %d articles stored, %d clustered after 5 minutes", n, want, cl)
						}
						time.Sleep(50 * time.Millisecond)
					}
					b.StopTimer()
					first := site.Requests(mark)[0].At
					articles += want
					ingest += storedAt.Sub(first)
					grouped += time.Since(first)
					for _, p := range procs {
						p.cmd.Process.Signal(os.Interrupt)
						p.cmd.Wait()
					}
					db.Close()
					stop()
				}
				n := float64(articles)
				b.ReportMetric(n/ingest.Seconds(), "articles/s")
				b.ReportMetric(n/grouped.Seconds(), "clustered/s")
			})
		}
	}
}
