// Package feedhealth says how a subscription is doing in words an operator
// can act on: each feed's state (pending, ok, failing since, paused, retired) and the
// cause of its failures grouped into a few kinds ("no network", "DNS",
// "refused", "timeout", "HTTP 4xx", …), and a summary of all feeds for the
// first-run panel, /sources and the poller's one log line per round.
package feedhealth

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/model"
)

// State is where a feed stands.
type State string

const (
	Pending State = "pending" // never polled yet
	OK      State = "ok"
	Failing State = "failing"
	Paused  State = "paused"  // the operator stopped polling it
	Retired State = "retired" // the publisher said it is gone; no longer polled
)

// Causes of failure, from the stored error text (the poller keeps only a
// readable line). Network-level causes come first: they say more about the
// machine than about the feed.
const (
	NoNetwork = "no network"
	DNS       = "DNS"
	Refused   = "refused"
	Timeout   = "timeout"
	TLS       = "TLS"
	Blocked   = "blocked address"
	HTTP4xx   = "HTTP 4xx"
	HTTP5xx   = "HTTP 5xx"
	NotAFeed  = "not a feed"
	TooLarge  = "too large"
	Other     = "other"
)

// networkCauses are failures of reaching any server at all.
var networkCauses = map[string]bool{NoNetwork: true, DNS: true, Refused: true, Timeout: true}

// Cause groups a poll failure by its stored error text and HTTP status.
func Cause(lastError string, status int) string {
	e := strings.ToLower(lastError)
	switch {
	case e == "" && status == 0:
		return ""
	case status >= 500 || strings.Contains(e, "http status 5"):
		return HTTP5xx
	case status >= 400 || strings.Contains(e, "http status 4"):
		return HTTP4xx
	case strings.Contains(e, "network is unreachable"), strings.Contains(e, "no route to host"),
		strings.Contains(e, "network is down"):
		return NoNetwork
	case strings.Contains(e, "no such host"), strings.Contains(e, "server misbehaving"),
		strings.Contains(e, "lookup "), strings.Contains(e, "resolve "):
		return DNS
	case strings.Contains(e, "connection refused"), strings.Contains(e, "connection reset"):
		return Refused
	case strings.Contains(e, "timed out"), strings.Contains(e, "timeout"), strings.Contains(e, "deadline exceeded"):
		return Timeout
	case strings.Contains(e, "blocked non-public address"):
		return Blocked
	case strings.Contains(e, "x509"), strings.Contains(e, "tls:"), strings.Contains(e, "certificate"):
		return TLS
	case strings.Contains(e, "too large"):
		return TooLarge
	case strings.Contains(e, "not a feed"), strings.Contains(e, "malformed feed"), strings.Contains(e, "empty feed"):
		return NotAFeed
	}
	return Other
}

// Status is one feed's state in words.
type Status struct {
	State    State
	Since    time.Time // failing or paused since; zero when unknown or not applicable
	Failures int
	Cause    string
}

// Of tells the status of f. A feed never polled is pending even if it
// carries articles (from an import); a failing feed is failing whatever its
// last HTTP status.
func Of(f model.Feed) Status {
	switch {
	case !f.Retired.IsZero():
		return Status{State: Retired, Since: f.Retired, Cause: Cause(f.LastError, f.LastStatus)}
	case f.Paused():
		return Status{State: Paused, Since: f.PausedAt}
	case f.LastError != "":
		return Status{State: Failing, Since: f.FailingSince, Failures: f.Failures, Cause: Cause(f.LastError, f.LastStatus)}
	case f.LastPoll.IsZero():
		return Status{State: Pending}
	}
	return Status{State: OK}
}

// Label is the status in one short line, for the command line.
func (s Status) Label() string {
	switch s.State {
	case Failing:
		l := "failing"
		if !s.Since.IsZero() {
			l += " since " + s.Since.UTC().Format(time.RFC3339)
		}
		if s.Failures > 0 {
			l += fmt.Sprintf(" (%d polls, %s)", s.Failures, s.Cause)
		}
		return l
	case Paused:
		return "paused"
	case Retired:
		return "retired " + s.Since.UTC().Format(time.DateOnly)
	}
	return string(s.State)
}

// CauseCount is how many feeds fail for one cause.
type CauseCount struct {
	Cause string
	Feeds int
}

// Summary counts feeds by state.
type Summary struct {
	Feeds, Pending, OK, Failing, Paused, Retired int
	Articles                                     int // stored from the feeds
	Causes                                       []CauseCount
	LastPoll                                     time.Time // newest poll of any feed
}

// Summarize counts the feeds' states and failing causes, most common cause first.
func Summarize(feeds []model.Feed) Summary {
	s := Summary{Feeds: len(feeds)}
	causes := map[string]int{}
	for _, f := range feeds {
		st := Of(f)
		switch st.State {
		case Pending:
			s.Pending++
		case OK:
			s.OK++
		case Failing:
			s.Failing++
			causes[st.Cause]++
		case Paused:
			s.Paused++
		case Retired:
			s.Retired++
		}
		s.Articles += f.Articles
		if f.LastPoll.After(s.LastPoll) {
			s.LastPoll = f.LastPoll
		}
	}
	for c, n := range causes {
		s.Causes = append(s.Causes, CauseCount{c, n})
	}
	slices.SortFunc(s.Causes, func(a, b CauseCount) int {
		return cmp.Or(cmp.Compare(b.Feeds, a.Feeds), cmp.Compare(a.Cause, b.Cause))
	})
	return s
}

// OfRound summarises one polling round: ok feeds polled fine, causes holds
// the Cause of each failed one.
func OfRound(ok int, causes []string) Summary {
	s := Summary{Feeds: ok + len(causes), OK: ok, Failing: len(causes)}
	n := map[string]int{}
	for _, c := range causes {
		n[c]++
	}
	for c, k := range n {
		s.Causes = append(s.Causes, CauseCount{c, k})
	}
	slices.SortFunc(s.Causes, func(a, b CauseCount) int {
		return cmp.Or(cmp.Compare(b.Feeds, a.Feeds), cmp.Compare(a.Cause, b.Cause))
	})
	return s
}

// Polled is how many active feeds have been polled at least once.
func (s Summary) Polled() int { return s.OK + s.Failing }

// Offline reports whether every polled feed failed for a network-level
// cause: the machine, not the publishers, is the likely problem.
func (s Summary) Offline() bool {
	if s.Failing == 0 || s.OK > 0 {
		return false
	}
	for _, c := range s.Causes {
		if !networkCauses[c.Cause] {
			return false
		}
	}
	return true
}

// CausesText is the causes as "DNS 160, timeout 8".
func (s Summary) CausesText() string {
	parts := make([]string, len(s.Causes))
	for i, c := range s.Causes {
		parts[i] = fmt.Sprintf("%s %d", c.Cause, c.Feeds)
	}
	return strings.Join(parts, ", ")
}
