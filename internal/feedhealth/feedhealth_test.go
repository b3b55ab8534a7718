package feedhealth

import (
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
)

func TestCause(t *testing.T) {
	for _, tc := range []struct {
		err    string
		status int
		want   string
	}{
		{"fetch https://a.example/rss: dial tcp: lookup a.example on 10.0.0.53:53: no such host", 0, DNS},
		{"fetch https://a.example/rss: resolve a.example: lookup a.example: server misbehaving", 0, DNS},
		{"fetch https://a.example/rss: dial tcp 192.0.2.1:443: connect: network is unreachable", 0, NoNetwork},
		{"fetch https://a.example/rss: dial 192.0.2.1:443: connect: connection refused", 0, Refused},
		{"fetch https://a.example/rss: request timed out: context deadline exceeded", 0, Timeout},
		{"fetch https://a.example/rss: tls: failed to verify certificate: x509: certificate has expired", 0, TLS},
		{"fetch http://10.0.0.1/rss: blocked non-public address: 10.0.0.1", 0, Blocked},
		{"http status 404 Not Found from https://a.example/rss", 404, HTTP4xx},
		{"http status 504 Gateway Timeout from https://a.example/rss", 504, HTTP5xx},
		{"parse feed https://a.example/rss: not a feed: got an HTML page", 200, NotAFeed},
		{"parse feed https://a.example/rss: malformed feed: XML syntax error", 200, NotAFeed},
		{"fetch https://a.example/rss: response body too large: limit 10485760 bytes", 200, TooLarge},
		{"save articles: disk full", 200, Other},
		{"", 0, ""},
	} {
		if got := Cause(tc.err, tc.status); got != tc.want {
			t.Errorf("Cause(%q, %d) = %q, want %q", tc.err, tc.status, got, tc.want)
		}
	}
}

func TestOfAndSummarize(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	dns := "dial tcp: lookup a.example: no such host"
	feeds := []model.Feed{
		{URL: "pending, with imported articles", Articles: 11},
		{URL: "ok", LastPoll: t0, LastStatus: 200, Articles: 4},
		{URL: "dns 1", LastPoll: t0, LastError: dns, Failures: 3, FailingSince: t0.Add(-time.Hour)},
		{URL: "dns 2", LastPoll: t0.Add(time.Minute), LastError: dns, Failures: 1, FailingSince: t0},
		{URL: "404", LastPoll: t0, LastStatus: 404, LastError: "http status 404 Not Found from x", Failures: 1},
		{URL: "paused while failing", LastPoll: t0, LastError: dns, PausedAt: t0},
		{URL: "gone", LastPoll: t0, LastStatus: 410, LastError: "http status 410 Gone from x", Retired: t0},
	}
	wantStates := []State{Pending, OK, Failing, Failing, Failing, Paused, Retired}
	for i, f := range feeds {
		if got := Of(f).State; got != wantStates[i] {
			t.Errorf("Of(%s) = %s, want %s", f.URL, got, wantStates[i])
		}
	}
	if l := Of(feeds[2]).Label(); l != "failing since 2026-03-01T11:00:00Z (3 polls, DNS)" {
		t.Errorf("label %q", l)
	}
	s := Summarize(feeds)
	if l := Of(feeds[6]).Label(); l != "retired 2026-03-01" {
		t.Errorf("label %q", l)
	}
	if s.Feeds != 7 || s.Pending != 1 || s.OK != 1 || s.Failing != 3 || s.Paused != 1 || s.Retired != 1 || s.Articles != 15 || s.Polled() != 4 ||
		!s.LastPoll.Equal(t0.Add(time.Minute)) || s.CausesText() != "DNS 2, HTTP 4xx 1" {
		t.Fatalf("summary %+v (%s)", s, s.CausesText())
	}
	if s.Offline() {
		t.Error("offline with a feed polled fine")
	}
	for _, tc := range []struct {
		feeds []model.Feed
		want  bool
	}{
		{feeds[2:4], true},  // every polled feed failed to reach its server
		{feeds[2:5], false}, // one server answered 404: the network works
		{feeds[:1], false},  // nothing polled yet
		{[]model.Feed{feeds[1], feeds[2]}, false},
	} {
		if got := Summarize(tc.feeds).Offline(); got != tc.want {
			t.Errorf("Offline(%d feeds) = %v, want %v", len(tc.feeds), got, tc.want)
		}
	}
}
