package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// contentSecurityPolicy allows nothing from other origins (lead images are
// Dateline's own copies, internal/media) and no inline script or style.
const contentSecurityPolicy = "default-src 'self'; img-src 'self'; script-src 'self'; " +
	"style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// hsts asks browsers to use HTTPS only for a year. Subdomains are left out:
// the site may share its domain with hosts that are not on HTTPS.
const hsts = "max-age=31536000"

func (s *server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		// Only over HTTPS: browsers ignore the header on plain HTTP, and a
		// proxy's word counts only when the operator said to trust it.
		if s.https(r) {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}

// https reports whether the client reached the site over TLS, directly or
// (with TrustProxy) through a proxy that says so in X-Forwarded-Proto.
func (s *server) https(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.opt.TrustProxy {
		return false
	}
	// The first value is what the client used; later proxies append.
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// recoverPanics turns a handler panic into a 500 so one bad request never
// takes the server down.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the server's own signal to drop the connection quietly
			}
			s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path,
				"panic", v, "stack", string(debug.Stack()))
			if rec.status == 0 {
				http.Error(rec, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), levelFor(status), "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Int("bytes", rec.bytes),
			slog.Duration("dur", time.Since(start)))
	})
}

// levelFor logs server errors always and ordinary requests at Debug: writing
// an access line per request cost a fifth of the throughput at 200 concurrent
// clients, and a reverse proxy usually keeps access logs anyway.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

// statusRecorder remembers what a handler wrote, for logging and for
// knowing whether a 500 can still be sent after a panic.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
