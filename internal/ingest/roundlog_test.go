package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/dateline-news/dateline/internal/fetch"
)

// failingGetter answers every feed with the error its URL names.
type failingGetter map[string]error

func (g failingGetter) Get(ctx context.Context, url string, cond fetch.Conditional, maxBytes int64) (*fetch.Response, error) {
	return nil, g[url]
}

// TestOneLogLinePerRound polls feeds that all fail: the log at info level
// has one line for the round, with the failures grouped by cause, and a
// warning to check the network when no feed could be reached at all; the
// per-feed errors are at debug level.
func TestOneLogLinePerRound(t *testing.T) {
	dns := errors.New("fetch https://a.example/rss: dial tcp: lookup a.example: no such host")
	for _, tc := range []struct {
		name  string
		errs  []error
		level string
		want  string
	}{
		{"no network", []error{dns, dns, errors.New("fetch: connect: network is unreachable")}, "WARN", `causes="DNS 2, no network 1"`},
		{"one server answers", []error{dns, &fetch.StatusError{Code: 404, URL: "https://b.example/rss"}}, "INFO", `causes="DNS 1, HTTP 4xx 1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			g := failingGetter{}
			for i, err := range tc.errs {
				u := fmt.Sprintf("https://feed%d.example/rss", i)
				addFeed(t, st, u)
				g[u] = err
			}
			var logs bytes.Buffer
			opts := DefaultOptions()
			opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
			n, err := NewPoller(st, g, opts).PollDue(context.Background())
			if err != nil || n != len(tc.errs) {
				t.Fatalf("polled %d: %v", n, err)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("want one log line for the round, got:\n%s", logs.String())
			}
			want := fmt.Sprintf("failing=%d %s", len(tc.errs), tc.want)
			if !strings.Contains(lines[0], "level="+tc.level) || !strings.Contains(lines[0], want) {
				t.Fatalf("round line %q, want level %s and %q", lines[0], tc.level, want)
			}
		})
	}
}
