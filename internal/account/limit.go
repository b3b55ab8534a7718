package account

import (
	"math"
	"sync"
	"time"
)

// limiter keeps one token bucket per key (an account, an address, a user),
// forgetting buckets that have refilled completely.
//
// An attempt is reserved before the slow work it guards (a password hash, an
// insert) and given back with refund when it should not count: checking the
// bucket first and spending after the work let 50 concurrent attempts all
// pass a limit of 5.
type limiter struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was computed
}

func newLimiter(every time.Duration, burst int) *limiter {
	return &limiter{every: every, burst: burst, buckets: map[string]*bucket{}}
}

// tokensLocked is key's bucket level at now (a missing bucket is full).
func (l *limiter) tokensLocked(key string, now time.Time) float64 {
	b, ok := l.buckets[key]
	if !ok {
		return float64(l.burst)
	}
	elapsed := now.Sub(b.at)
	if elapsed <= 0 {
		return b.tokens
	}
	return math.Min(float64(l.burst), b.tokens+float64(elapsed)/float64(l.every))
}

// waitLocked is how long key must wait for a whole token at now; 0 means one is there.
func (l *limiter) waitLocked(key string, now time.Time) time.Duration {
	t := l.tokensLocked(key, now)
	if t >= 1 {
		return 0
	}
	return time.Duration(math.Ceil((1 - t) * float64(l.every)))
}

// addLocked changes key's level at now by delta, capped at the burst.
func (l *limiter) addLocked(key string, now time.Time, delta float64) {
	l.sweepLocked(now)
	t := math.Min(float64(l.burst), l.tokensLocked(key, now)+delta)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{}
		l.buckets[key] = b
	}
	// Never move a bucket's time backwards: a caller with an older now
	// (reserved before a slower one) must not refill it twice.
	if now.After(b.at) {
		b.at = now
	}
	b.tokens = t
}

// wait is how long key must wait for a token at now; 0 means one is there.
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waitLocked(key, now)
}

// reserve spends one token of key at now if there is one; otherwise it
// spends nothing and says how long to wait. Checking and spending are one
// step under the lock.
func (l *limiter) reserve(key string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.waitLocked(key, now); w > 0 {
		return false, w
	}
	l.addLocked(key, now, -1)
	return true, 0
}

// refund gives back a token reserved at now, for an attempt that did not
// count (it succeeded, or failed before doing anything).
func (l *limiter) refund(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addLocked(key, now, 1)
}

// sweepLocked drops full buckets once a minute so the map stays small.
func (l *limiter) sweepLocked(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k := range l.buckets {
		if l.tokensLocked(k, now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// claim is one bucket an action spends from.
type claim struct {
	l   *limiter
	key string
}

// reserveAll spends one token from every claim, or from none of them: it
// returns the longest wait when any bucket is empty. Callers that reserve
// over the same limiters hold one mutex (mu) around it so that no other
// reservation sees a half-taken set.
func reserveAll(mu *sync.Mutex, now time.Time, claims ...claim) (ok bool, wait time.Duration) {
	mu.Lock()
	defer mu.Unlock()
	for _, c := range claims {
		wait = max(wait, c.l.wait(c.key, now))
	}
	if wait > 0 {
		return false, wait
	}
	for i, c := range claims {
		if ok, w := c.l.reserve(c.key, now); !ok {
			// Only if someone spent without holding mu: undo, refuse.
			refundAll(now, claims[:i]...)
			return false, w
		}
	}
	return true, 0
}

func refundAll(now time.Time, claims ...claim) {
	for _, c := range claims {
		c.l.refund(c.key, now)
	}
}

// trustedPairs remembers which (account, address) pairs have logged in
// successfully, until ttl after the last success. It lives in memory only:
// after a restart every address is new again, which is the safe side.
type trustedPairs struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	m   map[string]time.Time // key -> expiry
}

func newTrustedPairs(ttl time.Duration, max int) *trustedPairs {
	return &trustedPairs{ttl: ttl, max: max, m: map[string]time.Time{}}
}

func (p *trustedPairs) has(key string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	exp, ok := p.m[key]
	return ok && now.Before(exp)
}

func (p *trustedPairs) add(key string, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.m) >= p.max {
		for k, exp := range p.m {
			if !now.Before(exp) {
				delete(p.m, k)
			}
		}
		if len(p.m) >= p.max {
			// Bounded: forgetting every pair only makes owners subject to
			// the per-account limit again, it opens nothing.
			clear(p.m)
		}
	}
	p.m[key] = now.Add(p.ttl)
}
