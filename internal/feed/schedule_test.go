package feed

import (
	"net/http"
	"testing"
	"time"
)

func TestNextPoll(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 7, 0, 0, time.UTC)
	cc := func(v ...string) http.Header {
		h := http.Header{}
		for _, s := range v {
			h.Add("Cache-Control", s)
		}
		return h
	}
	tests := []struct {
		name   string
		base   time.Duration
		p      *Parsed
		header http.Header
		want   time.Duration // after now
	}{
		{"default", 0, nil, nil, 15 * time.Minute},
		{"negative base is default", -time.Hour, nil, nil, 15 * time.Minute},
		{"operator base", 40 * time.Minute, nil, nil, 40 * time.Minute},
		{"clamped to one minute", 10 * time.Second, nil, nil, time.Minute},
		{"clamped to one day", 72 * time.Hour, nil, nil, 24 * time.Hour},
		{"ttl lengthens", 15 * time.Minute, &Parsed{TTL: time.Hour}, nil, time.Hour},
		{"ttl never shortens", 30 * time.Minute, &Parsed{TTL: 5 * time.Minute}, nil, 30 * time.Minute},
		{"huge ttl clamped", 0, &Parsed{TTL: 1000 * time.Hour}, nil, 24 * time.Hour},
		{"max-age lengthens", 0, nil, cc("public, max-age=3600"), time.Hour},
		{"max-age never shortens", 0, nil, cc("max-age=60"), 15 * time.Minute},
		{"s-maxage wins", 0, nil, cc("max-age=60, s-maxage=7200"), 2 * time.Hour},
		{"quoted max-age", 0, nil, cc(`max-age="1800"`), 30 * time.Minute},
		{"no-cache ignores max-age", 0, nil, cc("no-cache, max-age=7200"), 15 * time.Minute},
		{"garbage header", 0, nil, cc("max-age=soon"), 15 * time.Minute},
		{"several header lines", 0, nil, cc("public", "max-age=2700"), 45 * time.Minute},
		{"larger of ttl and max-age", 0, &Parsed{TTL: 20 * time.Minute}, cc("max-age=1500"), 25 * time.Minute},
		// 10:07 + 15m = 10:22, in skipped hour 10 -> 11:00; 11 skipped too -> 12:00.
		{"skip hours", 0, &Parsed{SkipHours: []int{10, 11}}, nil, 12*time.Hour - (10*time.Hour + 7*time.Minute)},
		{"skip hours not hit", 0, &Parsed{SkipHours: []int{3}}, nil, 15 * time.Minute},
		{"all hours skipped is ignored", 0, &Parsed{SkipHours: allHours()}, nil, 15 * time.Minute},
		// 10:07 + 24h = 10:07 tomorrow, skipping would pass the one-day cap.
		{"skip never exceeds a day", 24 * time.Hour, &Parsed{SkipHours: []int{10}}, nil, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextPoll(now, tt.base, tt.p, tt.header)
			if d := got.Sub(now); d != tt.want {
				t.Errorf("NextPoll = now+%s, want now+%s", d, tt.want)
			}
		})
	}
}

func TestNextPollSkipHoursUseUTC(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	now := time.Date(2026, 11, 21, 19, 0, 0, 0, tokyo) // 10:00 UTC
	got := NextPoll(now, 30*time.Minute, &Parsed{SkipHours: []int{10}}, nil)
	if want := time.Date(2026, 11, 21, 11, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("NextPoll = %s, want %s", got.UTC(), want)
	}
}

func clampInterval(d time.Duration) time.Duration { return min(max(d, MinInterval), MaxInterval) }

func allHours() []int {
	h := make([]int, 24)
	for i := range h {
		h[i] = i
	}
	return h
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		failures int
		base     time.Duration
		center   time.Duration
	}{
		{1, 15 * time.Minute, 30 * time.Minute},
		{2, 15 * time.Minute, time.Hour},
		{3, 15 * time.Minute, 2 * time.Hour},
		{4, 0, 4 * time.Hour}, // zero base means the default 15 min
		{10, 15 * time.Minute, 24 * time.Hour},
		{1000, time.Hour, 24 * time.Hour},
		{3, time.Second, 8 * time.Second}, // below the floor
	}
	for _, tt := range tests {
		seen := map[time.Duration]bool{}
		for i := 0; i < 200; i++ {
			d := Backoff(tt.failures, tt.base)
			lo := clampInterval(time.Duration(float64(tt.center) * 0.9))
			hi := clampInterval(time.Duration(float64(tt.center) * 1.1))
			if d < lo || d > hi {
				t.Fatalf("Backoff(%d, %s) = %s, want within [%s, %s]", tt.failures, tt.base, d, lo, hi)
			}
			seen[d] = true
		}
		if tt.center > MinInterval && tt.center < MaxInterval && len(seen) < 2 {
			t.Errorf("Backoff(%d, %s) has no jitter", tt.failures, tt.base)
		}
	}
	if d := Backoff(0, 20*time.Minute); d != 20*time.Minute {
		t.Errorf("Backoff(0) = %s, want base", d)
	}
	// Monotone on average: more failures never wait less (beyond jitter).
	if Backoff(5, time.Minute) < Backoff(2, time.Minute) {
		t.Error("backoff shrank with more failures")
	}
}

func TestRetryWait(t *testing.T) {
	base := 15 * time.Minute // Backoff(1) is 30 min ± 10%
	tests := []struct {
		name       string
		retryAfter time.Duration
		min, max   time.Duration
	}{
		{"no hint", 0, 27 * time.Minute, 33 * time.Minute},
		{"shorter than backoff", 5 * time.Second, 27 * time.Minute, 33 * time.Minute},
		{"an hour", time.Hour, time.Hour, time.Hour},
		{"capped", 400 * 24 * time.Hour, MaxRetryAfter, MaxRetryAfter},
	}
	for _, tt := range tests {
		if got := RetryWait(1, base, tt.retryAfter); got < tt.min || got > tt.max {
			t.Errorf("%s: RetryWait = %s, want %s..%s", tt.name, got, tt.min, tt.max)
		}
	}
}
