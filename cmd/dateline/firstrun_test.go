package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFeedsAddDiscovers subscribes with a site's address through the real
// command: the feed the page advertises is what gets subscribed, and a page
// that advertises none is refused without subscribing anything.
func TestFeedsAddDiscovers(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Town Crier</title><item><title>Market day moves</title><link>https://crier.example/market</link></item></channel></rss>`))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" title="News" href="/rss.xml"></head><body>Home</body></html>`))
	})
	mux.HandleFunc("/about", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<!DOCTYPE html><html><head><title>About</title></head><body>About us</body></html>`))
	})
	site := httptest.NewServer(mux)
	defer site.Close()
	db := filepath.Join(t.TempDir(), "d.db")
	ctx := context.Background()

	var out, errb bytes.Buffer
	if err := run(ctx, []string{"feeds", "add", site.URL + "/", "--allow-private-networks", "--database", db}, nil, &out, &errb); err != nil {
		t.Fatalf("feeds add: %v (%s)", err, errb.String())
	}
	if !strings.Contains(out.String(), "subscribed to the feed it advertises, "+site.URL+"/rss.xml") || !strings.Contains(out.String(), "added 1 feed(s)") {
		t.Fatalf("feeds add printed %q", out.String())
	}
	out.Reset()
	err := run(ctx, []string{"feeds", "add", site.URL + "/about", "--allow-private-networks", "--database", db}, nil, &out, &errb)
	if err == nil || !strings.Contains(errb.String(), "advertises no feed") {
		t.Fatalf("a page without a feed: err %v, stderr %q", err, errb.String())
	}
	out.Reset()
	if err := run(ctx, []string{"feeds", "list", "--database", db}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], site.URL+"/rss.xml") || !strings.Contains(lines[1], "pending") {
		t.Fatalf("feeds list:\n%s", out.String())
	}
}

// TestFirstRunWithoutNetwork serves feeds that cannot be reached (a closed
// local port stands in for a machine without network): the front page says
// what happened and what to do, and the log has one line per polling round
// instead of one warning per feed.
func TestFirstRunWithoutNetwork(t *testing.T) {
	closed := "http://" + freeAddr(t)
	db := filepath.Join(t.TempDir(), "d.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := run(ctx, []string{"feeds", "add", closed + "/a.xml", closed + "/b.xml", "--check=false", "--database", db}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	var logs bytes.Buffer
	served := make(chan error, 1)
	go func() {
		served <- run(ctx, []string{"serve", "--addr", addr, "--database", db, "--allow-private-networks", "--per-host-interval", "0s"}, nil, io.Discard, &logs)
	}()

	var page string
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(page, "2 of 2 feeds polled") {
		if time.Now().After(deadline) {
			t.Fatalf("front page never showed the polled feeds:\n%s", page)
		}
		time.Sleep(100 * time.Millisecond)
		_, page = getQuiet("http://" + addr + "/")
	}
	for _, want := range []string{"No stories yet", "No feed could be reached", "<strong>refused</strong> — 2 feeds",
		"dateline feeds import FILE.opml", "dateline feeds add", "dateline import FILE.jsonl", `href="/sources"`} {
		if !strings.Contains(page, want) {
			t.Errorf("front page lacks %q", want)
		}
	}
	code, sources := get(t, "http://"+addr+"/sources")
	if code != 200 || strings.Count(sources, "Failing: refused") != 2 {
		t.Errorf("sources page %d:\n%s", code, sources)
	}

	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	log := logs.String()
	if strings.Contains(log, "feed failed") {
		t.Errorf("a warning per feed at info level:\n%s", log)
	}
	if !strings.Contains(log, `level=WARN msg="polled feeds; none could be reached`) || !strings.Contains(log, `causes="refused 2"`) {
		t.Errorf("no round summary naming the cause:\n%s", log)
	}
}
