package feed

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Polling bounds: never more often than MinInterval, never less often than
// MaxInterval, DefaultInterval when the caller has no preference.
const (
	MinInterval     = time.Minute
	MaxInterval     = 24 * time.Hour
	DefaultInterval = 15 * time.Minute
)

// NextPoll returns when to poll a feed next. base is the operator's interval
// for this feed (<= 0 means DefaultInterval). The publisher's hints, RSS
// <ttl> and HTTP Cache-Control max-age, can only lengthen the interval:
// they say how long a copy stays fresh, not that we should come sooner.
// The result is clamped to [MinInterval, MaxInterval] after now, then moved
// out of the feed's skipHours (UTC) when that stays within MaxInterval.
// p and header may be nil.
func NextPoll(now time.Time, base time.Duration, p *Parsed, header http.Header) time.Time {
	interval := base
	if interval <= 0 {
		interval = DefaultInterval
	}
	if p != nil && p.TTL > interval {
		interval = p.TTL
	}
	if age, ok := maxAge(header); ok && age > interval {
		interval = age
	}
	interval = min(max(interval, MinInterval), MaxInterval)
	next := now.Add(interval)
	if p == nil || len(p.SkipHours) == 0 || len(p.SkipHours) >= 24 {
		return next
	}
	skip := [24]bool{}
	for _, h := range p.SkipHours {
		if h >= 0 && h < 24 {
			skip[h] = true
		}
	}
	for i := 0; i < 24 && skip[next.UTC().Hour()]; i++ {
		next = next.UTC().Truncate(time.Hour).Add(time.Hour)
	}
	if next.Sub(now) > MaxInterval {
		return now.Add(MaxInterval)
	}
	return next
}

// maxAge reads Cache-Control max-age (s-maxage wins, as we act like a shared
// cache). no-store/no-cache give no hint.
func maxAge(h http.Header) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	var age, sage = -1, -1
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			k, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(val), `"`))
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "no-store", "no-cache":
				return 0, false
			case "max-age":
				if err == nil && n >= 0 {
					age = n
				}
			case "s-maxage":
				if err == nil && n >= 0 {
					sage = n
				}
			}
		}
	}
	if sage >= 0 {
		age = sage
	}
	if age < 0 {
		return 0, false
	}
	return time.Duration(age) * time.Second, true
}

// Backoff returns how long to wait after the given number of consecutive
// failures: base doubled per failure (base <= 0 means DefaultInterval),
// capped at MaxInterval, with ±10% jitter so feeds that failed together do
// not retry together. failures <= 0 returns base unjittered.
func Backoff(failures int, base time.Duration) time.Duration {
	if base <= 0 {
		base = DefaultInterval
	}
	if failures <= 0 {
		return base
	}
	d := base
	for i := 0; i < failures && d < MaxInterval; i++ {
		d *= 2
	}
	d = min(d, MaxInterval)
	jitter := time.Duration((rand.Float64()*0.2 - 0.1) * float64(d))
	return min(max(d+jitter, MinInterval), MaxInterval)
}

// MaxRetryAfter caps how long a publisher's Retry-After can park a feed.
const MaxRetryAfter = MaxInterval

// RetryWait returns how long to wait after the given number of consecutive
// failures when the publisher asked, with Retry-After (on a 429 or 503), not
// to come back for retryAfter: the longer of Backoff and retryAfter, the
// latter capped at MaxRetryAfter. retryAfter <= 0 means no hint.
func RetryWait(failures int, base, retryAfter time.Duration) time.Duration {
	return max(Backoff(failures, base), min(retryAfter, MaxRetryAfter))
}
