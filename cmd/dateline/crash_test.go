package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the real dateline binary for tests that need a process
// to kill.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "dateline")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build: %v", err)
	}
	return bin
}

// gatedSite serves one feed of n items. Article pages from index open on
// wait until release is called (or their request ends), so a process can be
// killed in the middle of ingesting them however fast or slow the machine is.
func gatedSite(t *testing.T, n, open int) (srv *httptest.Server, release func()) {
	gate := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "<item><title>Council report %d on the harbour bridge</title><link>%s/a/%d</link><guid>g%d</guid><pubDate>%s</pubDate></item>",
				i, srv.URL, i, i, time.Date(2026, 11, 20, 0, i%60, 0, 0, time.UTC).Format(time.RFC1123Z))
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Gazette</title>%s</channel></rss>`, b.String())
	})
	mux.HandleFunc("GET /a/{n}", func(w http.ResponseWriter, r *http.Request) {
		i := r.PathValue("n")
		if k, _ := strconv.Atoi(i); k >= open {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		fmt.Fprintf(w, `<html><head><title>Council report %s</title></head><body><article><h1>Council report %s</h1>
<p>The city council met on Tuesday evening to discuss report number %s on the repair of the harbour bridge, which has been closed to lorries since the spring.</p>
<p>Engineers told councillors that the repairs would take another eleven weeks and cost more than the original estimate, because corrosion was found in two of the main cables.</p>
<p>Residents who attended the meeting asked for a temporary ferry service while the work goes on.</p></article></body></html>`, i, i, i)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(func() { release(); srv.Close() })
	return srv, release
}

func countArticles(base string) (total int, urls map[string]int, clustered int, err error) {
	urls = map[string]int{}
	cursor := ""
	for {
		resp, err := http.Get(base + "/api/v1/articles?limit=200&cursor=" + cursor)
		if err != nil {
			return 0, nil, 0, err
		}
		var page apiArticles
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return 0, nil, 0, err
		}
		for _, a := range page.Articles {
			total++
			urls[a.URL]++
			if a.StoryID != 0 {
				clustered++
			}
		}
		if page.NextCursor == "" {
			return total, urls, clustered, nil
		}
		cursor = page.NextCursor
	}
}

// TestKillMidIngest kills the real process with SIGKILL while it ingests,
// restarts it on the same database and checks that nothing committed was lost
// and nothing was stored twice.
func TestKillMidIngest(t *testing.T) {
	bin := buildBinary(t)
	// Pages from 20 on hang until the kill, so the process dies with at
	// most 20 of the 120 articles stored and some fetches in flight.
	const n, open = 120, 20
	site, release := gatedSite(t, n, open)
	db := filepath.Join(t.TempDir(), "dateline.db")
	if err := run(context.Background(), []string{"feeds", "add", "--database", db, site.URL + "/feed.xml"}, nil, &strings.Builder{}, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	addr := freeAddr(t) // a restart listens where the killed process did
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "serve", "--addr", addr, "--database", db, "--allow-private-networks", "--per-host-interval", "0s")
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, "http://" + addr
	}

	cmd, base := start()
	deadline := time.Now().Add(30 * time.Second)
	var before int
	for before < 10 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("ingest never started")
		}
		time.Sleep(50 * time.Millisecond)
		before, _, _, _ = countArticles(base)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if before > open {
		t.Fatalf("%d articles stored before the kill, but only %d pages could be fetched", before, open)
	}

	release()
	cmd, base = start()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	// The lease of the killed process must expire or be taken over; the
	// restarted process finishes the feed.
	deadline = time.Now().Add(60 * time.Second)
	for {
		total, urls, clustered, err := countArticles(base)
		if err == nil && total >= before {
			for u, c := range urls {
				if c > 1 {
					t.Fatalf("%s stored %d times", u, c)
				}
			}
			if total == n && clustered == n {
				return
			}
			if total > n {
				t.Fatalf("%d articles for %d items", total, n)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("after restart: %d of %d articles (%d clustered), %d before the kill; err %v", total, n, clustered, before, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
