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
	mu      sync.Mutex // held while one request fills the entry
	expires time.Time
	status  int
	header  http.Header
	body    []byte
	gz      []byte // body gzipped once, for clients that accept it; nil if not worth it
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

		// The entry's lock is held only to read it or, for the one request
		// that refills it, to render; never while writing to a client, or
		// every reader would queue behind the slowest connection.
		e.mu.Lock()
		if c.now().Before(e.expires) {
			hit := cached{status: e.status, header: e.header, body: e.body, gz: e.gz}
			e.mu.Unlock()
			hit.write(w, r)
			return
		}
		rec := &bufferedWriter{header: make(http.Header)}
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		fresh := &cached{status: rec.status, header: rec.header, body: rec.buf.Bytes()}
		if len(fresh.body) >= minCompress && compressible(fresh.header.Get("Content-Type")) &&
			fresh.header.Get("Content-Encoding") == "" {
			fresh.gz = gzipBytes(fresh.body)
		}
		if rec.status == http.StatusOK {
			e.status, e.header, e.body, e.gz = fresh.status, fresh.header, fresh.body, fresh.gz
			e.expires = c.now().Add(c.ttl)
		}
		e.mu.Unlock()
		fresh.write(w, r)
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
