package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/dateline-news/dateline/internal/feedhealth"
	"github.com/dateline-news/dateline/internal/model"
)

// feedRow is one line of /sources and the admin feeds page: a feed, or an
// outlet with no feed (its articles came from `dateline import`).
type feedRow struct {
	Feed     model.Feed // URL empty for an imported outlet
	Source   model.Source
	Status   feedhealth.Status
	Articles int
	Next     string // when it is polled next, in words
	Imported bool
}

// Class is the row's CSS class.
func (r feedRow) Class() string {
	switch r.Status.State {
	case feedhealth.Failing:
		return "failing"
	case feedhealth.Paused, feedhealth.Retired:
		return "paused"
	}
	return ""
}

// ingestStatus is what the front page's first-run panel and /sources say
// about ingest as a whole.
type ingestStatus struct {
	feedhealth.Summary
	Outlets  int // outlets listed, imported ones included
	Imported int // outlets without a feed
	Admin    bool
	Causes   []causeView
	Heading  string // of the first-run panel
}

// Stuck reports whether nothing has worked yet: no feed polled fine and no
// imported outlet, so /sources shows the first-run panel too.
func (st ingestStatus) Stuck() bool { return st.OK == 0 && st.Imported == 0 }

type causeView struct {
	Cause   string
	Feeds   int
	Meaning string
}

// causeMeaning says in a few words what each failure kind means.
var causeMeaning = map[string]string{
	feedhealth.NoNetwork: "this machine has no route to the internet",
	feedhealth.DNS:       "host names could not be looked up (no network, or DNS is not working)",
	feedhealth.Refused:   "the server refused the connection",
	feedhealth.Timeout:   "no answer in time",
	feedhealth.TLS:       "the secure connection failed (certificate or TLS error)",
	feedhealth.Blocked:   "the address is private or local; allowed only with --allow-private-networks",
	feedhealth.HTTP4xx:   "the publisher answered with an error: the feed moved, is gone or is forbidden",
	feedhealth.HTTP5xx:   "the publisher's server failed",
	feedhealth.NotAFeed:  "the address does not serve a valid feed",
	feedhealth.TooLarge:  "the feed is larger than the 10 MB cap",
	feedhealth.Other:     "see the error on the feed's line",
}

// feedRows lists every feed and every outlet without one, by outlet name in
// natural order (case-insensitive; "127.0.0.2" before "127.0.0.10").
func (s *server) feedRows(ctx context.Context) ([]feedRow, ingestStatus, error) {
	feeds, err := s.st.Feeds(ctx)
	if err != nil {
		return nil, ingestStatus{}, fmt.Errorf("list feeds: %w", err)
	}
	sources, err := s.st.Sources(ctx)
	if err != nil {
		return nil, ingestStatus{}, fmt.Errorf("list sources: %w", err)
	}
	counts, err := s.st.SourceArticles(ctx)
	if err != nil {
		return nil, ingestStatus{}, err
	}
	now := s.now()
	hasFeed := map[int64]bool{}
	rows := make([]feedRow, 0, len(feeds))
	for _, f := range feeds {
		hasFeed[f.SourceID] = true
		st := feedhealth.Of(f)
		next := ""
		switch {
		case st.State == feedhealth.Paused:
			next = "paused"
		case st.State == feedhealth.Retired:
			next = "never (retired)"
		case !f.NextPoll.After(now):
			next = "due now"
		default:
			next = "in " + until(now, f.NextPoll)
		}
		rows = append(rows, feedRow{Feed: f, Source: f.Source, Status: st, Articles: f.Articles, Next: next})
	}
	imported := 0
	for _, src := range sources {
		if !hasFeed[src.ID] && counts[src.ID] > 0 {
			imported++
			rows = append(rows, feedRow{Source: src, Articles: counts[src.ID], Imported: true,
				Status: feedhealth.Status{State: "imported"}, Next: "not polled"})
		}
	}
	slices.SortStableFunc(rows, func(a, b feedRow) int {
		return cmp.Or(naturalCompare(a.Source.Name, b.Source.Name), cmp.Compare(a.Source.ID, b.Source.ID),
			strings.Compare(a.Feed.URL, b.Feed.URL))
	})
	st := ingestStatus{Summary: feedhealth.Summarize(feeds), Imported: imported}
	st.Outlets = len(hasFeed) + imported
	for _, c := range st.Summary.Causes {
		st.Causes = append(st.Causes, causeView{c.Cause, c.Feeds, causeMeaning[c.Cause]})
	}
	return rows, st, nil
}

// until is the time from now to t in words ("12 minutes").
func until(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return count(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return count(int(d/time.Hour), "hour")
	}
	return count(int(d/(24*time.Hour)), "day")
}

// naturalCompare orders strings case-insensitively with runs of digits
// compared as numbers.
func naturalCompare(a, b string) int {
	ar, br := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	i, j := 0, 0
	for i < len(ar) && j < len(br) {
		if unicode.IsDigit(ar[i]) && unicode.IsDigit(br[j]) {
			si, sj := i, j
			for i < len(ar) && unicode.IsDigit(ar[i]) {
				i++
			}
			for j < len(br) && unicode.IsDigit(br[j]) {
				j++
			}
			na := strings.TrimLeft(string(ar[si:i]), "0")
			nb := strings.TrimLeft(string(br[sj:j]), "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			continue
		}
		if c := cmp.Compare(ar[i], br[j]); c != 0 {
			return c
		}
		i, j = i+1, j+1
	}
	return cmp.Compare(len(ar)-i, len(br)-j)
}

type sourcesData struct {
	Rows   []feedRow
	Status ingestStatus
}

func (s *server) sourcesPage(w http.ResponseWriter, r *http.Request) {
	rows, st, err := s.feedRows(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rd := s.reader(r)
	st.Admin = rd.IsAdmin()
	st.Heading = "Nothing polled successfully yet"
	s.render(w, r, http.StatusOK, "sources.html", page{Title: "Sources", Reader: rd, Data: sourcesData{Rows: rows, Status: st}})
}

// firstRun is the front page's panel when there are no stories: what
// ingest did so far and what to do next. Nil when it cannot be told.
func (s *server) firstRun(r *http.Request, rd *Reader) *ingestStatus {
	_, st, err := s.feedRows(r.Context())
	if err != nil {
		s.log.Warn("first-run status", "err", err)
		return nil
	}
	st.Admin = rd.IsAdmin()
	st.Heading = "No stories yet"
	return &st
}
