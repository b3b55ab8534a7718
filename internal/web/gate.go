package web

import (
	"net/http"
	"sync"
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
type gate struct {
	slots chan struct{}
}

// newGate admits n requests at once (at least one). For lookups one per CPU
// gave the tightest tail at 200 concurrent readers (p99 19 ms, against 20–24
// with two and 23–44 with four per CPU; docs/BENCHMARKS.md): the store reads
// are CPU-bound once the pages are cached, and more requests in flight only
// interleave them.
func newGate(n int) *gate {
	return &gate{slots: make(chan struct{}, max(1, n))}
}

// wrap runs h inside the gate.
func (g *gate) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case g.slots <- struct{}{}:
		case <-r.Context().Done():
			return // the client left while queued
		}
		gw := &gatedWriter{ResponseWriter: w, g: g}
		defer gw.release()
		h(gw, r)
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
