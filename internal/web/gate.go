package web

import (
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// gate admits a bounded number of requests at a time into handlers that read
// the store, and queues the rest first come, first served.
//
// Without it, 200 concurrent readers all reach database/sql, whose pool hands
// a freed connection to a *random* waiter: the median stays fine but an
// unlucky request can lose that lottery many times (p99 several times p50).
// A channel's waiters are served in order, so the wait is bounded by the
// queue ahead, not by luck. The slot is held only while the handler computes:
// it is freed at the first byte written (handlers render into a buffer first),
// so a slow client never holds it.
//
// A shedding gate (newSheddingGate) also bounds its queue: when that many
// requests already wait, the next is refused at once with 503 and
// Retry-After instead of waiting, so a flood of costly requests (search)
// queues only so much work and never grows without end.
type gate struct {
	slots    chan struct{}
	maxQueue int          // 0: the queue is unbounded
	queued   atomic.Int64 // requests waiting for a slot
	shed     http.HandlerFunc
	// onQueue, when set (tests), is called as a request starts waiting.
	onQueue func()
}

// newGate admits n requests at once (at least one). For lookups one per CPU
// gave the tightest tail at 200 concurrent readers (p99 19 ms, against 20–24
// with two and 23–44 with four per CPU; docs/BENCHMARKS.md): the store reads
// are CPU-bound once the pages are cached, and more requests in flight only
// interleave them.
func newGate(n int) *gate {
	return &gate{slots: make(chan struct{}, max(1, n))}
}

// newSheddingGate admits n requests at once and lets at most queue more
// wait; beyond that it answers with shed.
func newSheddingGate(n, queue int, shed http.HandlerFunc) *gate {
	g := newGate(n)
	g.maxQueue, g.shed = max(1, queue), shed
	return g
}

// wrap runs h inside the gate.
func (g *gate) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case g.slots <- struct{}{}:
		default:
			if !g.wait(w, r) {
				return
			}
		}
		gw := &gatedWriter{ResponseWriter: w, g: g}
		defer gw.release()
		h(gw, r)
	}
}

// wait queues r for a slot, reporting whether it got one; a request beyond
// the queue's bound is shed.
func (g *gate) wait(w http.ResponseWriter, r *http.Request) bool {
	n := g.queued.Add(1)
	defer g.queued.Add(-1)
	if g.maxQueue > 0 && n > int64(g.maxQueue) {
		g.shed(w, r)
		return false
	}
	if g.onQueue != nil {
		g.onQueue()
	}
	select {
	case g.slots <- struct{}{}:
		return true
	case <-r.Context().Done():
		return false // the client left while queued
	}
}

// gatedWriter frees its request's slot when the response starts.
type gatedWriter struct {
	http.ResponseWriter
	g    *gate
	once sync.Once
}

func (w *gatedWriter) release() { w.once.Do(func() { <-w.g.slots }) }

func (w *gatedWriter) WriteHeader(code int) {
	w.release()
	w.ResponseWriter.WriteHeader(code)
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	w.release()
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *gatedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// searchQueue is how many searches may wait for a slot of the search gate;
// more are refused with 503. With a few tens of milliseconds per search, a
// full queue is well under a second of waiting.
const searchQueue = 16

// searchRetryAfter is the Retry-After of a refused search, in seconds.
const searchRetryAfter = "2"

// searchSlots is how many searches run at once: half the CPUs (at least
// one), so a flood of them leaves the rest for every other page.
func searchSlots() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// searchBusy answers a search the gate refused: too many are waiting.
func (s *server) searchBusy(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", searchRetryAfter)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusServiceUnavailable, "too many searches at once; retry after "+searchRetryAfter+" s")
		return
	}
	s.errorPage(w, r, http.StatusServiceUnavailable, "Search is busy",
		"Too many searches are running at once. Please try again in a few seconds.")
}
