package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// startLog collects a server's log and tells when it is listening.
type startLog struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	listening chan struct{}
	once      sync.Once
}

func (l *startLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if strings.Contains(l.buf.String(), "dateline listening") {
		l.once.Do(func() { close(l.listening) })
	}
	return len(p), nil
}

func (l *startLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

// An interval outside the schedule's bounds is not changed silently: serve
// says at start which interval it uses instead.
func TestServeWarnsOfClampedPollInterval(t *testing.T) {
	for _, tc := range []struct {
		interval string
		want     string // "" means no warning
	}{
		{"10s", `level=WARN msg="--poll-interval is below the minimum: feeds are polled at most this often" poll_interval=10s used=1m0s`},
		{"0s", `level=WARN msg="--poll-interval is not positive: feeds are polled every default interval" poll_interval=0s used=15m0s`},
		{"72h", `level=WARN msg="--poll-interval is above the maximum: feeds are polled at least this often" poll_interval=72h0m0s used=24h0m0s`},
		{"30m", ""},
	} {
		t.Run(tc.interval, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			log := &startLog{listening: make(chan struct{})}
			done := make(chan error, 1)
			db := filepath.Join(t.TempDir(), "dateline.db")
			go func() {
				done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--database", db, "--poll=false",
					"--poll-interval", tc.interval}, nil, io.Discard, log)
			}()
			select {
			case <-log.listening:
			case err := <-done:
				t.Fatalf("serve returned before listening: %v\n%s", err, log)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve: %v", err)
			}
			out := log.String()
			if tc.want == "" && strings.Contains(out, "poll-interval") || tc.want != "" && !strings.Contains(out, tc.want) {
				t.Errorf("log, want %q:\n%s", tc.want, out)
			}
		})
	}
}
