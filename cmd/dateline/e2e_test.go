package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type apiArticles struct {
	Articles []struct {
		ID     int64  `json:"id"`
		URL    string `json:"url"`
		Title  string `json:"title"`
		Text   string `json:"text"`
		Source struct {
			Name, Country, Language string
		} `json:"source"`
		StoryID int64 `json:"story_id"`
	} `json:"articles"`
	NextCursor string `json:"next_cursor"`
}

// TestServeEndToEnd is a new user's first run against a local publisher:
// subscribe, serve, poll, then read the front page, an article and the API.
func TestServeEndToEnd(t *testing.T) {
	site := newFixtureSite(t)
	db := filepath.Join(t.TempDir(), "dateline.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var out bytes.Buffer
	feedsArgs := []string{"feeds", "add", "--database", db, "--name", "Fixture Daily", "--country", "us", "--language", "en",
		site.URL + "/feeds/world.xml", site.URL + "/feeds/top.atom", site.URL + "/feeds/broken.xml"}
	if err := run(ctx, feedsArgs, nil, &out, io.Discard); err != nil {
		t.Fatalf("feeds add: %v", err)
	}
	if !strings.Contains(out.String(), "added 3 feed(s)") {
		t.Fatalf("feeds add said %q", out.String())
	}

	addr := freeAddr(t)
	served := make(chan error, 1)
	go func() {
		served <- run(ctx, []string{"serve", "--addr", addr, "--database", db, "--allow-private-networks", "--per-host-interval", "0s"}, nil, io.Discard, io.Discard)
	}()
	base := "http://" + addr

	// Wait until all three articles are stored and grouped.
	var arts apiArticles
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body := getQuiet(base + "/api/v1/articles?limit=50")
		if code == 200 {
			arts = apiArticles{}
			_ = json.Unmarshal([]byte(body), &arts)
			clustered := 0
			for _, a := range arts.Articles {
				if a.StoryID != 0 {
					clustered++
				}
			}
			if len(arts.Articles) >= len(fixtureArticles) && clustered == len(arts.Articles) {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("articles never all arrived and clustered: %+v", arts)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(arts.Articles) != len(fixtureArticles) {
		t.Fatalf("want %d articles (the same article in two feeds stored once), got %d", len(fixtureArticles), len(arts.Articles))
	}
	for _, a := range arts.Articles {
		if strings.Contains(a.URL, "utm_") || strings.Contains(a.URL, "#") {
			t.Errorf("URL not canonical: %s", a.URL)
		}
		if a.Source.Name != "Fixture Daily" || a.Source.Country != "US" || a.Source.Language != "en" {
			t.Errorf("source = %+v", a.Source)
		}
		for _, leak := range []string{"Try Our AI Features", "No comments yet", "Download the app", "newsletter"} {
			if strings.Contains(a.Text, leak) {
				t.Errorf("article %q text leaks %q", a.Title, leak)
			}
		}
	}

	var weapons int64
	for _, a := range arts.Articles {
		if strings.HasPrefix(a.Title, "US is selling weapons") {
			weapons = a.ID
			if !strings.Contains(a.Text, "NATO is paying for those weapons") {
				t.Errorf("article text missing its body: %q", a.Text)
			}
		}
	}
	if weapons == 0 {
		t.Fatal("the weapons article is missing")
	}

	code, page := get(t, base+"/")
	if code != 200 || !strings.Contains(page, "Fixture Daily") || !strings.Contains(page, "Kharkiv") {
		t.Errorf("front page %d lacks stories:\n%.2000s", code, page)
	}
	code, page = get(t, fmt.Sprintf("%s/article/%d", base, weapons))
	if code != 200 || !strings.Contains(page, "NATO is paying for those weapons") || !strings.Contains(page, "Jane Reporter") {
		t.Errorf("article page %d:\n%.2000s", code, page)
	}
	code, page = get(t, fmt.Sprintf("%s/api/v1/articles/%d", base, weapons))
	if code != 200 || !strings.Contains(page, `"story_id"`) {
		t.Errorf("article API %d: %.500s", code, page)
	}
	code, page = get(t, base+"/api/v1/stories")
	if code != 200 || !strings.Contains(page, `"headline"`) {
		t.Errorf("stories API %d: %.500s", code, page)
	}

	// The broken feed is marked failing with a reason; the others are healthy.
	code, page = get(t, base+"/sources")
	if code != 200 || !strings.Contains(page, "broken.xml") {
		t.Errorf("sources page %d:\n%.2000s", code, page)
	}
	out.Reset()
	if err := run(ctx, []string{"feeds", "list", "--database", db}, nil, &out, io.Discard); err != nil {
		t.Fatalf("feeds list: %v", err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		switch {
		case strings.Contains(line, "broken.xml") && !strings.Contains(line, "failing"):
			t.Errorf("broken feed not marked failing: %q", line)
		case strings.Contains(line, "world.xml") && !strings.Contains(line, " ok "):
			t.Errorf("healthy feed not ok: %q", line)
		}
	}

	// Ctrl-C: the server stops well within 10 s.
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s")
	}
	if n := site.count("/news/us-selling-weapons.html"); n != 1 {
		t.Errorf("article page fetched %d times, want once", n)
	}
}

func getQuiet(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
