package web

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"deflate", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"x-gzip", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", tc.header)
		if got := acceptsGzip(r); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return string(out)
}

// Every page and API answer is the same text compressed or not; small
// answers and clients that refuse gzip get it plain.
func TestCompression(t *testing.T) {
	f := newFixture()
	for _, ttl := range []time.Duration{0, -1} { // through the response cache and without it
		h := f.handler(Options{CacheTTL: ttl})
		for _, path := range []string{"/", "/sources", "/story/1", "/feed.xml"} {
			plain := do(t, h, "GET", path, nil)
			for i := range 2 { // the second request is a cache hit
				zipped := do(t, h, "GET", path, map[string]string{"Accept-Encoding": "gzip, br"})
				if zipped.Code != 200 || plain.Code != 200 {
					t.Fatalf("ttl %v GET %s: %d / %d", ttl, path, plain.Code, zipped.Code)
				}
				if got := zipped.Header().Get("Content-Encoding"); got != "gzip" {
					t.Fatalf("ttl %v GET %s #%d: Content-Encoding %q, want gzip", ttl, path, i, got)
				}
				if !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("GET %s: no Vary: Accept-Encoding", path)
				}
				if body := gunzip(t, zipped.Body.Bytes()); body != plain.Body.String() {
					t.Errorf("ttl %v GET %s: gzipped body differs from the plain one", ttl, path)
				}
			}
			if plain.Header().Get("Content-Encoding") != "" {
				t.Errorf("GET %s without Accept-Encoding was encoded", path)
			}
			refused := do(t, h, "GET", path, map[string]string{"Accept-Encoding": "gzip;q=0"})
			if refused.Header().Get("Content-Encoding") != "" || refused.Body.String() != plain.Body.String() {
				t.Errorf("GET %s with gzip;q=0 was encoded", path)
			}
		}
		for _, path := range []string{"/api/v1/articles", "/api/v1/stories/1", "/api/v1/nothing"} {
			small := do(t, h, "GET", path, map[string]string{"Accept-Encoding": "gzip"})
			if small.Body.Len() >= minCompress || small.Header().Get("Content-Encoding") != "" {
				t.Errorf("GET %s (%d bytes): encoding %q, want a plain answer under %d bytes", path,
					small.Body.Len(), small.Header().Get("Content-Encoding"), minCompress)
			}
		}
		for _, addr := range []string{"127.0.0.1:5000", "[::1]:5000"} {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = addr
			r.Header.Set("Accept-Encoding", "gzip")
			local := httptest.NewRecorder()
			h.ServeHTTP(local, r)
			if local.Header().Get("Content-Encoding") != "" || local.Body.String() != do(t, h, "GET", "/", nil).Body.String() {
				t.Errorf("GET / from %s was compressed; loopback clients are served plain", addr)
			}
		}
		head := do(t, h, "HEAD", "/", map[string]string{"Accept-Encoding": "gzip"})
		if head.Header().Get("Content-Encoding") != "" || head.Body.Len() != 0 {
			t.Errorf("HEAD /: encoding %q, %d body bytes", head.Header().Get("Content-Encoding"), head.Body.Len())
		}
	}
}

func TestGateBoundsConcurrency(t *testing.T) {
	g := newGate(2)
	queued := make(chan struct{}, 20)
	g.onQueue = func() { queued <- struct{}{} }
	var running, peak atomic.Int32
	entered, release := make(chan struct{}, 20), make(chan struct{})
	h := g.wrap(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release
		running.Add(-1) // before the write that frees the slot
		w.Write([]byte("ok"))
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest("GET", "/", nil))
			if rec.Body.String() != "ok" {
				t.Errorf("body %q", rec.Body.String())
			}
		})
	}
	// Barriers, not timing: two are inside and eighteen wait.
	for range 2 {
		<-entered
	}
	for range 18 {
		<-queued
	}
	if n := running.Load(); n != 2 {
		t.Errorf("%d running with the gate full, want 2", n)
	}
	close(release)
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency %d, want 2", p)
	}
}

// A shedding gate refuses a request at once when its queue is full, and
// admits again once there is room.
func TestSheddingGate(t *testing.T) {
	shed := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }
	g := newSheddingGate(1, 2, shed)
	queued := make(chan struct{}, 2)
	g.onQueue = func() { queued <- struct{}{} }
	entered, release := make(chan struct{}, 3), make(chan struct{})
	h := g.wrap(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	codes := make(chan int, 3)
	serve := func() {
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequest("GET", "/", nil))
		codes <- rec.Code
	}
	go serve()
	<-entered
	go serve()
	go serve()
	<-queued
	<-queued
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("with one running and two queued: %d, want 503", rec.Code)
	}
	close(release)
	for range 3 {
		if c := <-codes; c != http.StatusNoContent {
			t.Errorf("admitted request: %d", c)
		}
	}
	if n := g.queued.Load(); n != 0 {
		t.Errorf("queue count %d after all left, want 0", n)
	}
	if len(g.slots) != 0 {
		t.Errorf("%d slots held after all left", len(g.slots))
	}
}

// The slot is freed when the response starts, so a handler still writing to
// a slow client does not hold back the next request; a client that leaves
// while queued never runs its handler.
func TestGateReleasesAtFirstWrite(t *testing.T) {
	g := newGate(1)
	wrote, finish := make(chan struct{}), make(chan struct{})
	slow := g.wrap(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("first part"))
		close(wrote)
		<-finish
	})
	go slow(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	<-wrote
	// The write itself freed the slot: no timing involved.
	if n := len(g.slots); n != 0 {
		t.Fatalf("%d slots held by a handler that has started its response", n)
	}
	// A request that finds a free slot never queues.
	g.onQueue = func() { t.Error("second request queued behind one that is writing") }
	rec := httptest.NewRecorder()
	g.wrap(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 204 {
		t.Errorf("second request: %d", rec.Code)
	}
	g.onQueue = nil

	// Hold the only slot, then a queued request whose client leaves.
	hold, holding := make(chan struct{}), make(chan struct{})
	go g.wrap(func(w http.ResponseWriter, r *http.Request) { close(holding); <-hold })(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	<-holding
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	g.wrap(func(w http.ResponseWriter, r *http.Request) { ran = true })(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil).WithContext(ctx))
	if ran {
		t.Error("handler ran for a client that had left")
	}
	close(hold)
	close(finish)
}

// While one request refreshes an expired entry, the others are served the
// previous body at once instead of queueing behind the render.
func TestMicroCacheServesStaleWhileRefreshing(t *testing.T) {
	c := newMicroCache(time.Second)
	var mu sync.Mutex
	now := time.Unix(0, 0)
	c.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	version, started, release := 1, make(chan struct{}), make(chan struct{})
	hf := c.wrap(func(w http.ResponseWriter, r *http.Request) {
		if version == 2 {
			close(started)
			<-release
		}
		fmt.Fprintf(w, "v%d", version)
	})
	get := func() string {
		rec := httptest.NewRecorder()
		hf(rec, httptest.NewRequest("GET", "/", nil))
		return rec.Body.String()
	}
	if got := get(); got != "v1" {
		t.Fatalf("first %q", got)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	version = 2
	refreshed := make(chan string)
	go func() { refreshed <- get() }()
	<-started
	if got := get(); got != "v1" {
		t.Errorf("during the refresh got %q, want the stale v1", got)
	}
	close(release)
	if got := <-refreshed; got != "v2" {
		t.Errorf("refreshing request got %q", got)
	}
	if got := get(); got != "v2" {
		t.Errorf("after the refresh got %q", got)
	}
}
