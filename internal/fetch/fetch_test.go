package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testOptions are fast settings for tests against httptest on 127.0.0.1.
func testOptions() Options {
	return Options{AllowPrivate: true, PerHostInterval: -1, ConnectTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second, MaxRedirects: 5}
}

// fakeDNS maps fake names to fake public IPs for the guard check and dials
// every fake IP at the httptest server instead, so no packet ever leaves
// the machine.
func fakeDNS(c *Client, names map[string]string, target string) {
	c.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		if ip, err := netip.ParseAddr(host); err == nil {
			return []netip.Addr{ip}, nil
		}
		if v, ok := names[host]; ok {
			return []netip.Addr{netip.MustParseAddr(v)}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	}
	var d net.Dialer
	c.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		if ip := netip.MustParseAddr(host); ip.IsLoopback() {
			return d.DialContext(ctx, network, addr)
		}
		return d.DialContext(ctx, network, target)
	}
}

func TestIsBlocked(t *testing.T) {
	tests := []struct {
		ip      string
		blocked bool
	}{
		{"127.0.0.1", true},
		{"127.10.0.1", true},
		{"::1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true},
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"0.0.0.0", true},
		{"::", true},
		{"224.0.0.1", true},
		{"255.255.255.255", true},
		{"fe80::1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"ff02::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:169.254.169.254", true},
		{"64:ff9b::7f00:1", true}, // NAT64 of 127.0.0.1
		{"2002:7f00:1::", true},   // 6to4 of 127.0.0.1
		{"93.184.216.34", false},
		{"8.8.8.8", false},
		{"100.128.0.1", false},
		{"172.32.0.1", false},
		{"2606:4700::1111", false},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::808:808", false},
	}
	for _, tt := range tests {
		if got := isBlocked(netip.MustParseAddr(tt.ip)); got != tt.blocked {
			t.Errorf("isBlocked(%s) = %v, want %v", tt.ip, got, tt.blocked)
		}
	}
}

func TestGuardRefusesPrivateAddresses(t *testing.T) {
	var hits atomic.Int32
	var port string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/to-loopback" {
			http.Redirect(w, r, "http://127.0.0.1:"+port+"/secret", http.StatusFound)
			return
		}
		if r.URL.Path == "/to-metadata" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		if r.URL.Path == "/to-file" {
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())

	opts := testOptions()
	opts.AllowPrivate = false
	c := New(opts)
	fakeDNS(c, map[string]string{
		"public.test":     "93.184.216.34",
		"rebind.test":     "127.0.0.1",
		"private.test":    "10.0.0.5",
		"mapped.test":     "::ffff:192.168.0.1",
		"cgnat.test":      "100.64.1.1",
		"linklocal6.test": "fe80::1",
	}, srv.Listener.Addr().String())
	// The loopback dial in fakeDNS must never be reached with the guard on:
	// the check happens before dialing.

	tests := []struct {
		name    string
		url     string
		wantErr error
	}{
		{"loopback v4", "http://127.0.0.1:" + port + "/", ErrBlockedAddress},
		{"loopback v6", "http://[::1]:" + port + "/", ErrBlockedAddress},
		{"private 10/8", "http://10.1.2.3/", ErrBlockedAddress},
		{"private 192.168/16", "http://192.168.0.10/", ErrBlockedAddress},
		{"metadata link-local", "http://169.254.169.254/latest/meta-data/", ErrBlockedAddress},
		{"dns rebinding to loopback", "http://rebind.test:" + port + "/", ErrBlockedAddress},
		{"name resolving to private", "http://private.test/", ErrBlockedAddress},
		{"name resolving to mapped private", "http://mapped.test/", ErrBlockedAddress},
		{"name resolving to cgnat", "http://cgnat.test/", ErrBlockedAddress},
		{"name resolving to v6 link-local", "http://linklocal6.test/", ErrBlockedAddress},
		{"redirect to loopback", "http://public.test/to-loopback", ErrBlockedAddress},
		{"redirect to metadata", "http://public.test/to-metadata", ErrBlockedAddress},
		{"redirect to file scheme", "http://public.test/to-file", ErrUnsupportedScheme},
		{"file scheme", "file:///etc/passwd", ErrUnsupportedScheme},
		{"gopher scheme", "gopher://public.test/", ErrUnsupportedScheme},
		{"public is allowed", "http://public.test/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hits.Load()
			resp, err := c.Get(context.Background(), tt.url, Conditional{}, 0)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Get(%s): %v", tt.url, err)
				}
				if string(resp.Body) != "ok" {
					t.Fatalf("body = %q", resp.Body)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%s) error = %v, want %v", tt.url, err, tt.wantErr)
			}
			if tt.wantErr == ErrBlockedAddress && !strings.Contains(err.Error(), "blocked") {
				t.Errorf("error %q does not say what was blocked", err)
			}
			// Direct hits must not reach the server; redirects reach it once.
			if strings.Contains(tt.name, "redirect") {
				if n := hits.Load() - before; n != 1 {
					t.Errorf("server saw %d requests, want 1 (the redirecting one)", n)
				}
			} else if n := hits.Load() - before; n != 0 {
				t.Errorf("server saw %d requests, want 0", n)
			}
		})
	}

	// HTTPClient shares the guard.
	_, err := c.HTTPClient().Get("http://rebind.test:" + port + "/")
	if !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("HTTPClient().Get to rebinding name: error = %v, want ErrBlockedAddress", err)
	}
}

func TestGuardErrorNamesAddress(t *testing.T) {
	opts := testOptions()
	opts.AllowPrivate = false
	c := New(opts)
	_, err := c.Get(context.Background(), "http://169.254.169.254/", Conditional{}, 0)
	if err == nil || !strings.Contains(err.Error(), "169.254.169.254") {
		t.Fatalf("error = %v, want it to name 169.254.169.254", err)
	}
}

func TestConditionalGet(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Wed, 21 Oct 2026 07:28:00 GMT"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/etag":
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
		case "/lastmod":
			if r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lastMod)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	c := New(testOptions())
	ctx := context.Background()

	for _, path := range []string{"/etag", "/lastmod"} {
		first, err := c.Get(ctx, srv.URL+path, Conditional{}, 0)
		if err != nil {
			t.Fatalf("%s first Get: %v", path, err)
		}
		if first.NotModified || first.Status != 200 || string(first.Body) != "<rss/>" || first.ContentType != "application/rss+xml" {
			t.Fatalf("%s first Get = %+v", path, first)
		}
		second, err := c.Get(ctx, srv.URL+path, Conditional{ETag: first.ETag, LastModified: first.LastModified}, 0)
		if err != nil {
			t.Fatalf("%s second Get: %v", path, err)
		}
		if !second.NotModified || second.Status != 304 || len(second.Body) != 0 {
			t.Fatalf("%s second Get = %+v, want NotModified", path, second)
		}
	}
	// A stale validator gets the full body again.
	r, err := c.Get(ctx, srv.URL+"/etag", Conditional{ETag: `"old"`}, 0)
	if err != nil || r.NotModified {
		t.Fatalf("stale etag: %+v, %v", r, err)
	}
}

func TestRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/hop/"):
			var n int
			fmt.Sscanf(r.URL.Path, "/hop/%d", &n)
			if n > 0 {
				http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
				return
			}
			fmt.Fprint(w, "landed ", r.Header.Get("User-Agent"))
		}
	}))
	defer srv.Close()
	c := New(testOptions())
	ctx := context.Background()

	_, err := c.Get(ctx, srv.URL+"/loop", Conditional{}, 0)
	if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), "too many redirects") {
		t.Fatalf("loop: error = %v, want too many redirects", err)
	}
	r, err := c.Get(ctx, srv.URL+"/hop/5", Conditional{}, 0)
	if err != nil {
		t.Fatalf("5 hops: %v", err)
	}
	if r.FinalURL != srv.URL+"/hop/0" {
		t.Errorf("FinalURL = %q", r.FinalURL)
	}
	if want := "landed " + DefaultUserAgent; string(r.Body) != want {
		t.Errorf("body = %q, want %q", r.Body, want)
	}
	if _, err := c.Get(ctx, srv.URL+"/hop/6", Conditional{}, 0); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 hops: error = %v, want too many redirects", err)
	}
}

func TestSizeCap(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 100_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			// No Content-Length: the cap must apply while reading.
			w.(http.Flusher).Flush()
		}
		w.Write(big)
	}))
	defer srv.Close()
	c := New(testOptions())
	ctx := context.Background()
	for _, path := range []string{"/sized", "/chunked"} {
		if _, err := c.Get(ctx, srv.URL+path, Conditional{}, 99_999); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s under cap: error = %v, want ErrTooLarge", path, err)
		}
		r, err := c.Get(ctx, srv.URL+path, Conditional{}, 100_000)
		if err != nil || len(r.Body) != 100_000 {
			t.Errorf("%s at cap: len %d, err %v", path, len(r.Body), err)
		}
	}
}

func TestGzip(t *testing.T) {
	plain := bytes.Repeat([]byte("<item>news</item>"), 10_000) // 170 kB, compresses to ~1 kB
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	defer srv.Close()
	c := New(testOptions())
	r, err := c.Get(context.Background(), srv.URL, Conditional{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Body, plain) {
		t.Fatalf("body not decompressed: %d bytes, want %d", len(r.Body), len(plain))
	}
	// The cap counts decompressed bytes: a small gzip bomb is refused.
	if _, err := c.Get(context.Background(), srv.URL, Conditional{}, 50_000); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("decompressed over cap: error = %v, want ErrTooLarge (compressed size %d)", err, gz.Len())
	}
}

func TestTimeouts(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	opts := testOptions()
	opts.ReadTimeout = 200 * time.Millisecond
	c := New(opts)
	// The servers never answer, so only a timeout ends these requests; the
	// caller's minute turns a timeout that does not fire into a failure
	// (context.DeadlineExceeded is not ErrTimeout) rather than a hang.
	for _, path := range []string{"/no-headers", "/slow-body"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := c.Get(ctx, srv.URL+path, Conditional{}, 0)
		cancel()
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("%s: error = %v, want ErrTimeout", path, err)
		}
	}
	// A caller's cancellation is reported as such, not as our timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, srv.URL+"/no-headers", Conditional{}, 0)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) {
		t.Errorf("caller deadline: error = %v", err)
	}
}

func TestConnectTimeout(t *testing.T) {
	opts := testOptions()
	opts.ConnectTimeout = 100 * time.Millisecond
	c := New(opts)
	fakeDNS(c, map[string]string{"slow.test": "93.184.216.34"}, "")
	var dialed atomic.Bool
	c.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed.Store(true)
		<-ctx.Done() // a SYN that is never answered
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a failure, not a hang
	defer cancel()
	_, err := c.Get(ctx, "http://slow.test/", Conditional{}, 0)
	if !errors.Is(err, ErrTimeout) || !dialed.Load() {
		t.Fatalf("error = %v (dialed %v), want ErrTimeout", err, dialed.Load())
	}
}

func TestStatusError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/busy" {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	c := New(testOptions())
	r, err := c.Get(context.Background(), srv.URL+"/missing", Conditional{}, 0)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || r == nil || r.Status != 404 {
		t.Fatalf("404: resp %+v, err %v", r, err)
	}
	if !strings.Contains(err.Error(), "404 Not Found") {
		t.Errorf("message %q is not readable", err)
	}
	_, err = c.Get(context.Background(), srv.URL+"/busy", Conditional{}, 0)
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != 2*time.Minute {
		t.Fatalf("429: err %v (%+v)", err, se)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"30", 30 * time.Second},
		{"-5", 0},
		{"Sat, 21 Nov 2026 08:05:00 GMT", 5 * time.Minute},
		{"Sat, 21 Nov 2026 07:55:00 GMT", 0},
		{"soon", 0},
		{"99999999999999999999999", 365 * 24 * time.Hour},
		{"Fri, 31 Dec 9999 23:59:59 GMT", 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.in, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestPerHostSerialization: while one request to a host is in flight, the
// next waits at the host's gate and does not reach the server; requests to
// two hosts run at once. The servers hold requests until the test has seen
// what it checks, so nothing depends on timing.
func TestPerHostSerialization(t *testing.T) {
	var entered atomic.Int32
	inFirst := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if entered.Add(1) == 1 {
			close(inFirst)
			<-release
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock() // before srv.Close, which waits for the handlers
	c := New(testOptions())
	errs := make(chan error, 2)
	get := func() {
		_, err := c.Get(context.Background(), srv.URL, Conditional{}, 0)
		errs <- err
	}
	go get()
	<-inFirst
	go get()
	gate := c.gate(srv.Listener.Addr().(*net.TCPAddr).IP.String())
	for gate.queued.Load() == 0 && entered.Load() == 1 {
		runtime.Gosched() // until the second request is queued or has got through
	}
	if n := entered.Load(); n != 1 {
		t.Fatalf("%d requests reached the host at once, want 1", n)
	}
	unblock()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	// Requests to different hosts are not serialized with each other: each
	// server answers only once the other host's request has arrived too.
	arrived := map[string]chan struct{}{"a.test": make(chan struct{}), "b.test": make(chan struct{})}
	other := map[string]string{"a.test": "b.test", "b.test": "a.test"}
	both := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
		close(arrived[host])
		select {
		case <-arrived[other[host]]:
			fmt.Fprint(w, "ok")
		case <-r.Context().Done():
		}
	}))
	defer both.Close()
	c2 := New(testOptions())
	fakeDNS(c2, map[string]string{"a.test": "93.184.216.34", "b.test": "93.184.216.35"}, both.Listener.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a failure, not a hang
	defer cancel()
	var wg sync.WaitGroup
	for _, h := range []string{"a.test", "b.test"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c2.Get(ctx, "http://"+h+"/", Conditional{}, 0); err != nil {
				t.Errorf("%s: %v (requests to two hosts did not overlap)", h, err)
			}
		}()
	}
	wg.Wait()
}

func TestPerHostInterval(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	opts := testOptions()
	opts.PerHostInterval = 100 * time.Millisecond
	c := New(opts)
	for i := 0; i < 3; i++ {
		if _, err := c.Get(context.Background(), srv.URL, Conditional{}, 0); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 100*time.Millisecond {
			t.Errorf("gap between request %d and %d = %s, want >= 100ms", i-1, i, gap)
		}
	}
	// A cancelled context stops waiting for the gate.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, srv.URL, Conditional{}, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error = %v", err)
	}
}

func TestUserAgentAndDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	if o.UserAgent != DefaultUserAgent || o.PerHostInterval != time.Second || o.ConnectTimeout != 10*time.Second ||
		o.ReadTimeout != 30*time.Second || o.MaxRedirects != 5 || o.AllowPrivate {
		t.Errorf("defaults = %+v", o)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Header.Get("User-Agent"))
	}))
	defer srv.Close()
	opts := testOptions()
	opts.UserAgent = "TestBot/1"
	r, err := New(opts).Get(context.Background(), srv.URL, Conditional{}, 0)
	if err != nil || string(r.Body) != "TestBot/1" {
		t.Fatalf("UA: %q, %v", r.Body, err)
	}
}
