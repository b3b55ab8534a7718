package web

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// microCache keeps whole responses of the busiest anonymous pages (front
// page, listings, feeds) for a few seconds. Under a burst of readers one
// request renders and the rest are served the same bytes, which bounds tail
// latency by the cost of one render, not of a queue of them.
type microCache struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*cached
}

type cached struct {
	mu         sync.Mutex
	refreshing bool          // one request is rendering a new body
	ready      chan struct{} // closed when that render ends
	expires    time.Time
	status     int
	header     http.Header
	body       []byte
	gz         []byte // body gzipped once, for clients that accept it; nil if not worth it
}

const microCacheKeys = 1024

func newMicroCache(ttl time.Duration) *microCache {
	return &microCache{ttl: ttl, now: time.Now, entries: make(map[string]*cached)}
}

// wrap caches h's 200 responses to GET requests that carry no cookie or
// credentials (those may see personal content).
func (c *microCache) wrap(h http.HandlerFunc) http.HandlerFunc {
	if c == nil || c.ttl <= 0 {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" {
			h(w, r)
			return
		}
		// Host is part of the key: feeds derive absolute links from it when
		// no base URL is configured, and one spoofed Host must not poison
		// what everyone else is served.
		key := r.Host + " " + r.URL.Path + "?" + r.URL.RawQuery
		c.mu.Lock()
		e, ok := c.entries[key]
		if !ok {
			if len(c.entries) >= microCacheKeys {
				clear(c.entries)
			}
			e = &cached{}
			c.entries[key] = e
		}
		c.mu.Unlock()

		// The entry's lock is held only to read or update it, never while
		// rendering or writing to a client. One request at a time refreshes an
		// expired entry; meanwhile the others get the previous response
		// (a few seconds staler), so an expiry never queues a crowd of
		// readers behind one render. Only an entry never filled makes them
		// wait, for the one render under way.
		for {
			e.mu.Lock()
			fresh := c.now().Before(e.expires)
			if e.body != nil && (fresh || e.refreshing) {
				hit := cached{status: e.status, header: e.header, body: e.body, gz: e.gz}
				e.mu.Unlock()
				hit.write(w, r)
				return
			}
			if !e.refreshing {
				break // this request renders; e.mu is still held
			}
			wait := e.ready
			e.mu.Unlock()
			select {
			case <-wait:
			case <-r.Context().Done():
				return
			}
		}
		e.refreshing = true
		e.ready = make(chan struct{})
		e.mu.Unlock()

		rec := &bufferedWriter{header: make(http.Header)}
		defer func() {
			// Also on a panic in h: the entry must not stay "refreshing".
			e.mu.Lock()
			e.refreshing = false
			close(e.ready)
			e.mu.Unlock()
		}()
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		out := &cached{status: rec.status, header: rec.header, body: rec.buf.Bytes()}
		if len(out.body) >= minCompress && compressible(out.header.Get("Content-Type")) &&
			out.header.Get("Content-Encoding") == "" {
			out.gz = gzipBytes(out.body)
		}
		if rec.status == http.StatusOK {
			e.mu.Lock()
			e.status, e.header, e.body, e.gz = out.status, out.header, out.body, out.gz
			e.expires = c.now().Add(c.ttl)
			e.mu.Unlock()
		}
		out.write(w, r)
	}
}

// write replays the response, compressed when the client takes gzip.
func (e *cached) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	body := e.body
	if e.gz != nil && wantsGzip(r) {
		body = e.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	w.Write(body)
}

// bufferedWriter collects a response so it can be cached and replayed.
type bufferedWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.buf.Write(p)
}
