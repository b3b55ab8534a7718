// Package storetest is the conformance suite every store backend passes.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// Run exercises every method of store.Store. open must return a new, empty
// store on each call and arrange (t.Cleanup) for it to be closed.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Sources", testSources},
		{"SetSourceName", testSetSourceName},
		{"Feeds", testFeeds},
		{"FeedAdmin", testFeedAdmin},
		{"Audit", testAudit},
		{"Leases", testLeases},
		{"RetiredFeed", testRetiredFeed},
		{"LeasesConcurrent", testLeasesConcurrent},
		{"InsertArticle", testInsertArticle},
		{"InsertConcurrent", testInsertConcurrent},
		{"ArticlePages", testArticlePages},
		{"ArticleFilters", testArticleFilters},
		{"Assign", testAssign},
		{"Merge", testMerge},
		{"StoryPages", testStoryPages},
		{"Storylines", testStorylines},
		{"PerStoryline", testPerStoryline},
		{"Rescore", testRescore},
		{"Insight", testInsight},
		{"Search", testSearch},
		{"SearchStories", testSearchStories},
		{"Leader", testLeader},
		{"Fencing", testFencing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// result holds a call's value and error until a test checks them:
// val(s.Sources(ctx)).must(t).
type result[T any] struct {
	v   T
	err error
}

func val[T any](v T, err error) result[T] { return result[T]{v, err} }

// val3 keeps the first of three results (a page and its cursor).
func val3[T, U any](v T, _ U, err error) result[T] { return result[T]{v, err} }

func (r result[T]) must(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

func source(t *testing.T, s store.Store, name, country string) model.Source {
	t.Helper()
	return val(s.UpsertSource(context.Background(), model.Source{Name: name, HomeURL: "https://" + name + ".example", Country: country, Language: "en"})).must(t)
}

func article(t *testing.T, s store.Store, src model.Source, url string, pub time.Time, title, text string) model.Article {
	t.Helper()
	fetched := pub.Add(time.Minute)
	if pub.IsZero() {
		fetched = t0.Add(10 * time.Hour)
	}
	a := model.Article{SourceID: src.ID, URL: url, Title: title, Text: text, Published: pub, Fetched: fetched, Language: "en"}
	created, err := s.InsertArticle(context.Background(), &a)
	if err != nil || !created {
		t.Fatalf("insert %s: created=%v err=%v", url, created, err)
	}
	return a
}

func testSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := val(s.UpsertSource(ctx, model.Source{Name: "Zeta", HomeURL: "https://zeta.example", Country: "DE", Language: "de"})).must(t)
	if a.ID == 0 || a.Country != "DE" {
		t.Fatalf("created %+v", a)
	}
	// Updating with some fields empty keeps the stored values.
	b := val(s.UpsertSource(ctx, model.Source{Name: "Zeta", Country: "AT"})).must(t)
	want := model.Source{ID: a.ID, Name: "Zeta", HomeURL: "https://zeta.example", Country: "AT", Language: "de"}
	if b != want {
		t.Fatalf("updated %+v, want %+v", b, want)
	}
	source(t, s, "Alpha", "US")
	list := val(s.Sources(ctx)).must(t)
	if len(list) != 2 || list[0].Name != "Alpha" || list[1] != want {
		t.Fatalf("sources %+v", list)
	}
	if _, err := s.UpsertSource(ctx, model.Source{}); err == nil {
		t.Fatal("empty name accepted")
	}
}

func testFeeds(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "Beta", "GB")
	f, created, err := s.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: "https://beta.example/rss", Title: "Beta"})
	if err != nil || !created || f.ID == 0 || f.Source.Name != "Beta" {
		t.Fatalf("add: %+v %v %v", f, created, err)
	}
	again, created, err := s.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: "https://beta.example/rss"})
	if err != nil || created || again.ID != f.ID {
		t.Fatalf("re-add: %+v %v %v", again, created, err)
	}
	// A feed may name its source instead of giving its id.
	g, created, err := s.AddFeed(ctx, model.Feed{URL: "https://alpha.example/atom", Source: model.Source{Name: "Alpha", Country: "US"}})
	if err != nil || !created || g.Source.Name != "Alpha" || g.Source.Country != "US" {
		t.Fatalf("add by source name: %+v %v %v", g, created, err)
	}
	a := model.Article{SourceID: src.ID, FeedID: f.ID, URL: "https://beta.example/1", Title: "one"}
	val(s.InsertArticle(ctx, &a)).must(t)
	// An imported article has a source but no feed.
	imp := source(t, s, "Imported", "NZ")
	for i := range 2 {
		ia := model.Article{SourceID: imp.ID, URL: fmt.Sprintf("https://imported.example/%d", i), Title: "imported"}
		val(s.InsertArticle(ctx, &ia)).must(t)
	}
	if counts := val(s.SourceArticles(ctx)).must(t); len(counts) != 2 || counts[src.ID] != 1 || counts[imp.ID] != 2 {
		t.Fatalf("articles per source %v", counts)
	}

	list := val(s.Feeds(ctx)).must(t)
	if len(list) != 2 || list[0].URL != g.URL || list[1].URL != f.URL {
		t.Fatalf("feeds not by source name: %+v", list)
	}
	if list[1].Articles != 1 || list[0].Articles != 0 || list[1].Source.Country != "GB" {
		t.Fatalf("feed counts/source: %+v", list)
	}

	state := list[1]
	state.ETag, state.LastModified, state.LastStatus, state.LastError, state.Failures = `"e1"`, "Mon, 02 Jan 2026 15:04:05 GMT", 500, "server error", 2
	state.NextPoll, state.LastPoll, state.Title = t0.Add(time.Hour), t0, "Beta News"
	if err := s.SaveFeedState(ctx, state); err != nil {
		t.Fatal(err)
	}
	list = val(s.Feeds(ctx)).must(t)
	got := list[1]
	if got.ETag != state.ETag || got.LastModified != state.LastModified || got.LastStatus != 500 ||
		got.LastError != "server error" || got.Failures != 2 || got.Title != "Beta News" ||
		!got.NextPoll.Equal(state.NextPoll) || !got.LastPoll.Equal(t0) || got.Healthy() {
		t.Fatalf("state not saved: %+v", got)
	}
	if err := s.SaveFeedState(ctx, model.Feed{ID: 987654}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("save missing feed: %v", err)
	}

	if err := s.RemoveFeed(ctx, f.URL); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, f.URL); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
	if list := val(s.Feeds(ctx)).must(t); len(list) != 1 {
		t.Fatalf("after remove: %+v", list)
	}
	kept := val(s.Article(ctx, a.ID)).must(t)
	if kept.URL != a.URL {
		t.Fatalf("article lost with its feed: %+v", kept)
	}
}

// testFeedAdmin covers what an operator changes by hand: pausing, resuming,
// renaming and recategorising an outlet.
func testFeedAdmin(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "Gamma", "FR")
	f, _, err := s.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: "https://gamma.example/rss", NextPoll: t0.Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	// Paused: never leased, and listed as paused since then.
	if err := s.SetFeedPaused(ctx, f.URL, t0); err != nil {
		t.Fatal(err)
	}
	if got := val(s.LeaseDueFeeds(ctx, "A", t0, 10, time.Minute)).must(t); len(got) != 0 {
		t.Fatalf("paused feed leased: %+v", got)
	}
	list := val(s.Feeds(ctx)).must(t)
	if len(list) != 1 || !list[0].PausedAt.Equal(t0) || !list[0].Paused() {
		t.Fatalf("paused feed listed as %+v", list)
	}
	// Resumed: due at once even if its next poll was far off.
	state := list[0]
	state.NextPoll = t0.Add(time.Hour)
	if err := s.SaveFeedState(ctx, state); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedPaused(ctx, f.URL, time.Time{}); err != nil {
		t.Fatal(err)
	}
	leased := val(s.LeaseDueFeeds(ctx, "A", t0, 10, time.Minute)).must(t)
	if len(leased) != 1 || leased[0].Paused() {
		t.Fatalf("resumed feed leased as %+v", leased)
	}
	if err := s.SetFeedPaused(ctx, "https://none.example/rss", t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("pause a missing feed: %v", err)
	}

	// Rename and recategorise; a name taken by another outlet is refused.
	up := src
	up.Name, up.Country, up.Language, up.Category = "Gamma Daily", "BE", "fr", "local"
	got := val(s.UpdateSource(ctx, up)).must(t)
	if got != up {
		t.Fatalf("updated %+v, want %+v", got, up)
	}
	if f := val(s.Feeds(ctx)).must(t)[0]; f.Source != up {
		t.Fatalf("feed's source %+v, want %+v", f.Source, up)
	}
	other := source(t, s, "Delta", "DE")
	other.Name = "Gamma Daily"
	if _, err := s.UpdateSource(ctx, other); err == nil {
		t.Fatal("rename onto an existing outlet's name accepted")
	}
	if _, err := s.UpdateSource(ctx, model.Source{ID: 987654, Name: "X"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update a missing source: %v", err)
	}
	// Upserting by name without a category keeps it.
	if kept := val(s.UpsertSource(ctx, model.Source{Name: "Gamma Daily"})).must(t); kept.Category != "local" {
		t.Fatalf("upsert lost the category: %+v", kept)
	}
}

func testAudit(t *testing.T, s store.Store) {
	ctx := context.Background()
	want := []model.AuditEntry{
		{At: t0, Actor: "ann", Action: "add", Target: "https://a.example/rss", Detail: "subscribed"},
		{At: t0.Add(time.Minute), Actor: "cli:root", Action: "pause", Target: "https://a.example/rss"},
		{At: t0.Add(time.Minute), Actor: "ann", Action: "remove", Target: "https://b.example/rss", Detail: "refused: not found"},
	}
	for _, e := range want {
		if err := s.AddAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddAudit(ctx, model.AuditEntry{At: t0}); err == nil {
		t.Fatal("an entry without actor and action was stored")
	}
	got := val(s.Audit(ctx, 2)).must(t)
	if len(got) != 2 || got[0].Action != "remove" || got[1].Action != "pause" || !got[1].At.Equal(t0.Add(time.Minute)) || got[0].ID == 0 {
		t.Fatalf("newest two entries %+v", got)
	}
	all := val(s.Audit(ctx, 10)).must(t)
	if len(all) != 3 {
		t.Fatalf("entries %+v", all)
	}
	last := all[2]
	last.ID = 0
	last.At = last.At.UTC()
	if last != want[0] {
		t.Fatalf("oldest entry %+v, want %+v", last, want[0])
	}
}

func addFeeds(t *testing.T, s store.Store, n int, next time.Time) []model.Feed {
	t.Helper()
	src := source(t, s, "Feeds", "FR")
	var out []model.Feed
	for i := range n {
		f, _, err := s.AddFeed(context.Background(), model.Feed{SourceID: src.ID, URL: fmt.Sprintf("https://feeds.example/%03d", i), NextPoll: next.Add(time.Duration(i) * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func ids[T any](xs []T, id func(T) int64) []int64 {
	var out []int64
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func feedID(f model.Feed) int64 { return f.ID }

func testLeases(t *testing.T, s store.Store) {
	ctx := context.Background()
	feeds := addFeeds(t, s, 3, t0.Add(-time.Minute))
	later, _, err := s.AddFeed(ctx, model.Feed{SourceID: feeds[0].SourceID, URL: "https://feeds.example/later", NextPoll: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	lease := 5 * time.Minute
	a := val(s.LeaseDueFeeds(ctx, "A", t0, 2, lease)).must(t)
	if got := ids(a, feedID); !slices.Equal(got, []int64{feeds[0].ID, feeds[1].ID}) {
		t.Fatalf("A leased %v, want the two soonest due", got)
	}
	if a[0].Source.Name != "Feeds" {
		t.Fatalf("leased feed without source: %+v", a[0])
	}
	b := val(s.LeaseDueFeeds(ctx, "B", t0, 10, lease)).must(t)
	if got := ids(b, feedID); !slices.Equal(got, []int64{feeds[2].ID}) {
		t.Fatalf("B leased %v, want only the free due feed %d", got, feeds[2].ID)
	}
	if again := val(s.LeaseDueFeeds(ctx, "C", t0.Add(time.Minute), 10, lease)).must(t); len(again) != 0 {
		t.Fatalf("live leases handed to another owner: %v", ids(again, feedID))
	}
	// An owner asking again is not handed its own live leases: each of its
	// workers leases the feed it is about to poll, and two must never share one.
	if again := val(s.LeaseDueFeeds(ctx, "A", t0.Add(time.Minute), 10, lease)).must(t); len(again) != 0 {
		t.Fatalf("A was handed its own live leases again: %v", ids(again, feedID))
	}
	// A releases one feed by saving its state; it is due again only at NextPoll.
	done := a[0]
	done.NextPoll, done.LastPoll, done.LastStatus = t0.Add(30*time.Minute), t0, 200
	if err := s.SaveFeedState(ctx, done); err != nil {
		t.Fatal(err)
	}
	if got := val(s.LeaseDueFeeds(ctx, "C", t0.Add(2*time.Minute), 10, lease)).must(t); len(got) != 0 {
		t.Fatalf("C leased %v before anything was due or expired", ids(got, feedID))
	}
	// After expiry the unsaved leases are free again; the saved feed is not due
	// and the later feed not yet.
	c := val(s.LeaseDueFeeds(ctx, "C", t0.Add(lease+time.Second), 10, lease)).must(t)
	if got := ids(c, feedID); !slices.Equal(got, []int64{feeds[1].ID, feeds[2].ID}) {
		t.Fatalf("after expiry C leased %v, want %v", got, []int64{feeds[1].ID, feeds[2].ID})
	}
	// A process restarted under C's name frees C's leases at once.
	if err := s.ReleaseLeases(ctx, "C"); err != nil {
		t.Fatal(err)
	}
	if got := ids(val(s.LeaseDueFeeds(ctx, "C", t0.Add(lease+2*time.Second), 10, lease)).must(t), feedID); !slices.Equal(got, []int64{feeds[1].ID, feeds[2].ID}) {
		t.Fatalf("after ReleaseLeases C leased %v, want %v", got, []int64{feeds[1].ID, feeds[2].ID})
	}
	d := val(s.LeaseDueFeeds(ctx, "D", t0.Add(2*time.Hour), 10, lease)).must(t)
	// Two hours on, every lease has expired and every feed is due.
	wantD := []int64{feeds[1].ID, feeds[2].ID, feeds[0].ID, later.ID}
	if got := ids(d, feedID); !slices.Equal(got, wantD) {
		t.Fatalf("two hours on D leased %v, want %v (by next poll)", got, wantD)
	}
	// D renews its lease on one feed while still polling it; nobody else can.
	if err := s.RenewLease(ctx, d[0].ID, "E", t0.Add(5*time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("E renewed D's lease: %v", err)
	}
	if err := s.RenewLease(ctx, d[0].ID, "D", t0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e := val(s.LeaseDueFeeds(ctx, "E", t0.Add(4*time.Hour), 10, lease)).must(t)
	if got := ids(e, feedID); slices.Contains(got, d[0].ID) || len(got) != len(wantD)-1 {
		t.Fatalf("after D renewed feed %d, E leased %v", d[0].ID, got)
	}
}

// testRetiredFeed: a retired feed keeps its row and its state, is listed with the time it was retired, and is never leased.
func testRetiredFeed(t *testing.T, s store.Store) {
	ctx := context.Background()
	feeds := addFeeds(t, s, 2, t0.Add(-time.Minute))
	gone := val(s.LeaseDueFeeds(ctx, "A", t0, 1, time.Minute)).must(t)
	if len(gone) != 1 || gone[0].ID != feeds[0].ID {
		t.Fatalf("leased %v, want feed %d", ids(gone, feedID), feeds[0].ID)
	}
	f := gone[0]
	f.LastPoll, f.LastStatus, f.LastError, f.Failures = t0, 410, "http status 410 Gone", 1
	f.NextPoll, f.Retired, f.FailingSince = t0, t0, t0.Add(-25*time.Hour)
	if err := s.SaveFeedState(ctx, f); err != nil {
		t.Fatal(err)
	}
	var listed model.Feed
	for _, lf := range val(s.Feeds(ctx)).must(t) {
		if lf.ID == f.ID {
			listed = lf
		}
	}
	if !listed.Retired.Equal(t0) || !listed.FailingSince.Equal(f.FailingSince) || listed.LastStatus != 410 || listed.LastError == "" {
		t.Fatalf("retired feed listed as %+v", listed)
	}
	// Due, unleased, yet retired: only the other feed is handed out, now and later.
	for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(30 * 24 * time.Hour)} {
		got := ids(val(s.LeaseDueFeeds(ctx, "B", at, 10, time.Minute)).must(t), feedID)
		if slices.Contains(got, f.ID) {
			t.Fatalf("retired feed %d leased at %v: %v", f.ID, at, got)
		}
		if err := s.ReleaseLeases(ctx, "B"); err != nil {
			t.Fatal(err)
		}
	}
	// Saving it active again (Retired zero) puts it back in the rotation.
	f.Retired = time.Time{}
	if err := s.SaveFeedState(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got := ids(val(s.LeaseDueFeeds(ctx, "C", t0.Add(2*time.Hour), 10, time.Minute)).must(t), feedID); !slices.Contains(got, f.ID) {
		t.Fatalf("reactivated feed %d not leased: %v", f.ID, got)
	}
}

func testLeasesConcurrent(t *testing.T, s store.Store) {
	feeds := addFeeds(t, s, 40, t0.Add(-time.Hour))
	if owner := DrainLeases(t, []store.Store{s, s, s, s}, t0, 3); len(owner) != len(feeds) {
		t.Fatalf("%d of %d feeds leased", len(owner), len(feeds))
	}
}

// DrainLeases runs one goroutine per worker ("worker-i", each on its own
// store or pool) leasing batch due feeds at a time and "polling" them (the
// state is saved and the lease freed, next poll an hour on) until none is
// due. It fails the test if any feed is leased twice and returns each
// leased feed's worker.
func DrainLeases(t *testing.T, workers []store.Store, now time.Time, batch int) map[int64]string {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	owner := map[int64]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(workers))
	for w, s := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("worker-%d", w)
			for {
				got, err := s.LeaseDueFeeds(ctx, name, now, batch, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, f := range got {
					if prev, ok := owner[f.ID]; ok {
						errs <- fmt.Errorf("feed %d leased to %s and %s", f.ID, prev, name)
					}
					owner[f.ID] = name
				}
				mu.Unlock()
				for _, f := range got {
					f.NextPoll, f.LastPoll = now.Add(time.Hour), now
					if err := s.SaveFeedState(ctx, f); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return owner
}

func sameArticle(t *testing.T, got, want model.Article) {
	t.Helper()
	got.Source, want.Source = model.Source{}, model.Source{}
	if !got.Published.Equal(want.Published) || !got.Fetched.Equal(want.Fetched) {
		t.Fatalf("times %v/%v, want %v/%v", got.Published, got.Fetched, want.Published, want.Fetched)
	}
	got.Published, want.Published, got.Fetched, want.Fetched = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		t.Fatalf("article\n got %+v\nwant %+v", got, want)
	}
}

func testInsertArticle(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "Gamma", "IT")
	other := source(t, s, "Delta", "ES")
	a := model.Article{SourceID: src.ID, FeedID: 0, URL: "https://gamma.example/a", GUID: "g-1", Title: "Título", Author: "Ana",
		Published: t0.Add(123456789 * time.Nanosecond), Fetched: t0.Add(time.Hour), Text: "para one\npara two", HTML: "<p>para one</p>",
		Image: "https://gamma.example/a.jpg", Language: "it", SiteName: "Gamma", Reason: ""}
	created, err := s.InsertArticle(ctx, &a)
	if err != nil || !created || a.ID == 0 {
		t.Fatalf("insert: %v %v %d", created, err, a.ID)
	}
	got := val(s.Article(ctx, a.ID)).must(t)
	want := a
	want.Published = a.Published.Truncate(time.Microsecond)
	sameArticle(t, got, want)
	if got.Source.Name != "Gamma" || got.Source.Country != "IT" {
		t.Fatalf("source not filled: %+v", got.Source)
	}
	if _, err := s.Article(ctx, a.ID+1000); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing article: %v", err)
	}

	for _, tc := range []struct {
		name    string
		a       model.Article
		created bool
		same    bool
	}{
		{"same url", model.Article{SourceID: src.ID, URL: a.URL, GUID: "other"}, false, true},
		{"same source and guid", model.Article{SourceID: src.ID, URL: "https://gamma.example/a?moved", GUID: "g-1"}, false, true},
		{"same guid other source", model.Article{SourceID: other.ID, URL: "https://delta.example/a", GUID: "g-1"}, true, false},
		{"empty guids do not collide", model.Article{SourceID: src.ID, URL: "https://gamma.example/b"}, true, false},
		{"empty guids do not collide 2", model.Article{SourceID: src.ID, URL: "https://gamma.example/c"}, true, false},
	} {
		b := tc.a
		created, err := s.InsertArticle(ctx, &b)
		if err != nil || created != tc.created || (b.ID == a.ID) != tc.same || b.ID == 0 {
			t.Errorf("%s: created=%v id=%d err=%v (first id %d)", tc.name, created, b.ID, err, a.ID)
		}
	}
	for _, tc := range []struct {
		src       int64
		url, guid string
		want      bool
	}{
		{src.ID, a.URL, "", true},
		{src.ID, "https://nowhere.example", "g-1", true},
		{other.ID, "https://nowhere.example", "g-1", true},
		{other.ID, "https://nowhere.example", "g-2", false},
		{src.ID, "https://nowhere.example", "", false},
	} {
		if got := val(s.HasArticle(ctx, tc.src, tc.url, tc.guid)).must(t); got != tc.want {
			t.Errorf("HasArticle(%d, %s, %s) = %v", tc.src, tc.url, tc.guid, got)
		}
	}
}

func testInsertConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "Epsilon", "NL")
	const n, workers = 30, 6
	got := make([][]int64, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			created := 0
			for i := range n {
				// Odd workers know the article by a different URL but the same GUID.
				url := fmt.Sprintf("https://epsilon.example/%d", i)
				if w%2 == 1 {
					url += "?utm=x"
				}
				a := model.Article{SourceID: src.ID, URL: url, GUID: fmt.Sprintf("guid-%d", i), Title: "t"}
				c, err := s.InsertArticle(ctx, &a)
				if err != nil {
					errs <- err
					return
				}
				if c {
					created++
				}
				got[w] = append(got[w], a.ID)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for w := 1; w < workers; w++ {
		if !slices.Equal(got[w], got[0]) {
			t.Fatalf("worker %d saw ids %v, worker 0 %v", w, got[w], got[0])
		}
	}
	all := val3(s.Articles(ctx, store.ArticleQuery{SourceID: src.ID, Limit: 200})).must(t)
	if len(all) != n {
		t.Fatalf("%d rows stored for %d articles", len(all), n)
	}
}

func articleID(a model.Article) int64 { return a.ID }

// pageAll walks every page of q and returns the ids in order.
func pageAll(t *testing.T, s store.Store, q store.ArticleQuery, between func(page int)) []int64 {
	t.Helper()
	var out []int64
	for page := 0; ; page++ {
		list, next, err := s.Articles(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > q.Limit {
			t.Fatalf("page of %d over limit %d", len(list), q.Limit)
		}
		out = append(out, ids(list, articleID)...)
		if next == "" {
			return out
		}
		if page > 1000 {
			t.Fatal("cursor loops")
		}
		if between != nil {
			between(page)
		}
		q.Cursor = next
	}
}

func testArticlePages(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "Zeta", "CH")
	type key struct {
		pub time.Time
		id  int64
	}
	var keys []key
	for i := range 47 {
		// Groups of three share a published time, so ids break ties.
		pub := t0.Add(time.Duration(i/3) * time.Minute)
		if i%10 == 9 {
			pub = time.Time{} // unknown time sorts last
		}
		a := article(t, s, src, fmt.Sprintf("https://zeta.example/%d", i), pub, "t", "")
		keys = append(keys, key{a.Published, a.ID})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := b.pub.Compare(a.pub); c != 0 {
			return c
		}
		return int(b.id - a.id)
	})
	want := ids(keys, func(k key) int64 { return k.id })
	newer := 0
	got := pageAll(t, s, store.ArticleQuery{Limit: 10}, func(int) {
		// Concurrent inserts, newer and older, must not shift later pages.
		newer++
		article(t, s, src, fmt.Sprintf("https://zeta.example/new-%d", newer), t0.Add(24*time.Hour), "t", "")
	})
	if !slices.Equal(got, want) {
		t.Fatalf("pages gave\n%v\nwant\n%v", got, want)
	}
	list, next, err := s.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(list) != 50 || next == "" || 47+newer <= 50 {
		t.Fatalf("default limit page: %d rows, next %q, %v", len(list), next, err)
	}
	if list[0].Source.Name != "Zeta" {
		t.Fatalf("source not filled: %+v", list[0].Source)
	}
	for _, bad := range []string{"!!!", "bm90LWEtY3Vyc29y", "eDp5"} {
		if _, _, err := s.Articles(ctx, store.ArticleQuery{Cursor: bad}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
}

func testArticleFilters(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b := source(t, s, "A", "US"), source(t, s, "B", "CA")
	var ofA, recent, inStory []int64
	for i := range 12 {
		src := a
		if i%3 == 0 {
			src = b
		}
		x := article(t, s, src, fmt.Sprintf("https://x.example/%d", i), t0.Add(time.Duration(i)*time.Hour), "t", "")
		if src == a {
			ofA = append(ofA, x.ID)
		}
		if i >= 8 {
			recent = append(recent, x.ID)
		}
		if i%2 == 0 {
			if _, err := s.Assign(ctx, store.Assignment{ArticleID: x.ID, Story: 7}); err != nil {
				t.Fatal(err)
			}
			inStory = append(inStory, x.ID)
		}
	}
	slices.Reverse(ofA)
	slices.Reverse(recent)
	slices.Reverse(inStory)
	for _, tc := range []struct {
		name string
		q    store.ArticleQuery
		want []int64
	}{
		{"source", store.ArticleQuery{SourceID: a.ID, Limit: 3}, ofA},
		{"since", store.ArticleQuery{Since: t0.Add(8 * time.Hour), Limit: 3}, recent},
		{"story", store.ArticleQuery{StoryID: 7, Limit: 4}, inStory},
	} {
		if got := pageAll(t, s, tc.q, nil); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	un := val(s.Unclustered(ctx, 100)).must(t)
	var unIDs []int64
	for i, x := range un {
		if x.StoryID != 0 || (i > 0 && x.ID <= un[i-1].ID) {
			t.Fatalf("unclustered not oldest first without story: %+v", un)
		}
		unIDs = append(unIDs, x.ID)
	}
	if len(un) != 6 || len(val(s.Unclustered(ctx, 2)).must(t)) != 2 {
		t.Fatalf("unclustered %v", unIDs)
	}
}

func testAssign(t *testing.T, s store.Store) {
	ctx := context.Background()
	us, us2, fr, nowhere := source(t, s, "US1", "US"), source(t, s, "US2", "US"), source(t, s, "FR1", "FR"), source(t, s, "Anon", "")
	a1 := article(t, s, us, "https://us1.example/1", t0.Add(2*time.Hour), "first", "")
	a2 := article(t, s, fr, "https://fr1.example/1", t0.Add(1*time.Hour), "second", "")
	a3 := article(t, s, us2, "https://us2.example/1", t0.Add(5*time.Hour), "copy", "")
	a4 := article(t, s, nowhere, "https://anon.example/1", time.Time{}, "undated", "")
	a5 := article(t, s, us, "https://us1.example/2", t0.Add(3*time.Hour), "again", "")
	if err := s.SetStoryScore(ctx, 100, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("score of missing story: %v", err)
	}
	// The story image comes from the earliest original article that has one
	// (a5), not from the earlier syndicated copy (a3).
	a6 := model.Article{SourceID: us2.ID, URL: "https://us2.example/copy", Published: t0.Add(90 * time.Minute), Image: "https://img.example/copy.jpg"}
	a7 := model.Article{SourceID: fr.ID, URL: "https://fr1.example/2", Published: t0.Add(4 * time.Hour), Image: "https://img.example/orig.jpg"}
	for _, a := range []*model.Article{&a6, &a7} {
		val(s.InsertArticle(ctx, a)).must(t)
	}

	st := val(s.Assign(ctx, store.Assignment{ArticleID: a1.ID, Story: 100, Reason: "new story", Headline: "First headline"})).must(t)
	if st.ID != 100 || st.Articles != 1 || st.Outlets != 1 || st.Countries != 1 || st.Headline != "First headline" ||
		!st.FirstSeen.Equal(a1.Published) || !st.Updated.Equal(a1.Published) {
		t.Fatalf("new story %+v", st)
	}
	val(s.Assign(ctx, store.Assignment{ArticleID: a2.ID, Story: 100, Reason: "shares names"})).must(t)
	val(s.Assign(ctx, store.Assignment{ArticleID: a3.ID, Story: 100, CopyOf: a1.ID, Reason: "syndicated"})).must(t)
	val(s.Assign(ctx, store.Assignment{ArticleID: a4.ID, Story: 100})).must(t)
	st = val(s.Assign(ctx, store.Assignment{ArticleID: a5.ID, Story: 100, Headline: "Better headline"})).must(t)
	if st.Image != "" {
		t.Fatalf("image %q without any article image", st.Image)
	}
	st = val(s.Assign(ctx, store.Assignment{ArticleID: a6.ID, Story: 100, CopyOf: a1.ID})).must(t)
	if st.Image != a6.Image {
		t.Fatalf("image %q, want the copy's when no original has one", st.Image)
	}
	st = val(s.Assign(ctx, store.Assignment{ArticleID: a7.ID, Story: 100})).must(t)
	if st.Image != a7.Image {
		t.Fatalf("image %q, want the original's %q", st.Image, a7.Image)
	}
	want := model.Story{ID: 100, Headline: "Better headline", Articles: 7, Outlets: 4, Countries: 2,
		FirstSeen: a2.Published, Updated: a4.Fetched}
	if a4.Fetched.Before(a3.Published) {
		want.Updated = a3.Published
	}
	if st.ID != want.ID || st.Headline != want.Headline || st.Articles != 7 || st.Outlets != 4 || st.Countries != 2 ||
		!st.FirstSeen.Equal(want.FirstSeen) || !st.Updated.Equal(want.Updated) {
		t.Fatalf("aggregates %+v, want %+v", st, want)
	}
	got := val(s.Article(ctx, a3.ID)).must(t)
	if got.StoryID != 100 || got.CopyOf != a1.ID || got.Reason != "syndicated" {
		t.Fatalf("article not assigned: %+v", got)
	}
	if err := s.SetStoryScore(ctx, 100, 2.5); err != nil {
		t.Fatal(err)
	}
	if got := val(s.Story(ctx, 100)).must(t); got.Score != 2.5 || got.Articles != 7 {
		t.Fatalf("story %+v", got)
	}
	if _, err := s.Story(ctx, 101); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing story: %v", err)
	}
	if _, err := s.Assign(ctx, store.Assignment{ArticleID: 999999, Story: 100}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("assign missing article: %v", err)
	}
	if got := val(s.Story(ctx, 100)).must(t); got.Articles != 7 {
		t.Fatalf("failed assign changed story: %+v", got)
	}
	if n := val(s.MaxStoryID(ctx)).must(t); n != 100 {
		t.Fatalf("max story id %d", n)
	}
	// Moving an article to another story updates both stories.
	moved := val(s.Assign(ctx, store.Assignment{ArticleID: a7.ID, Story: 200, Reason: "better match"})).must(t)
	if moved.Articles != 1 || moved.Image != a7.Image {
		t.Fatalf("new story %+v", moved)
	}
	left := val(s.Story(ctx, 100)).must(t)
	if left.Articles != 6 || left.Outlets != 4 || left.Image != a6.Image {
		t.Fatalf("story left by an article %+v", left)
	}
	// With Rank, both stories a move touches are scored from their new
	// aggregates in the same transaction.
	rank := func(outlets, countries, articles int, first, last time.Time) float64 {
		return float64(100*outlets+10*countries+articles) + float64(last.Sub(first).Hours())/1000
	}
	val(s.Assign(ctx, store.Assignment{ArticleID: a5.ID, Story: 200, Rank: rank})).must(t)
	for _, id := range []int64{100, 200} {
		st := val(s.Story(ctx, id)).must(t)
		if want := rank(st.Outlets, st.Countries, st.Articles, st.FirstSeen, st.Updated); st.Score != want {
			t.Errorf("story %d (%d outlets, %d countries, %d articles) score %v, want %v",
				id, st.Outlets, st.Countries, st.Articles, st.Score, want)
		}
	}
}

func testMerge(t *testing.T, s store.Store) {
	ctx := context.Background()
	if n := val(s.MaxStoryID(ctx)).must(t); n != 0 {
		t.Fatalf("max story id of empty store %d", n)
	}
	src := source(t, s, "M", "SE")
	src2 := source(t, s, "N", "NO")
	x := article(t, s, src, "https://m.example/x", t0, "x", "")
	y := article(t, s, src2, "https://n.example/y", t0.Add(time.Hour), "y", "")
	z := article(t, s, src, "https://m.example/z", t0.Add(2*time.Hour), "z", "")
	w := article(t, s, src, "https://m.example/w", t0.Add(3*time.Hour), "w", "")
	for _, a := range []struct {
		art   model.Article
		story int64
		copy  int64
	}{{x, 1, 0}, {y, 2, 0}, {z, 3, 0}} {
		val(s.Assign(ctx, store.Assignment{ArticleID: a.art.ID, Story: a.story, CopyOf: a.copy})).must(t)
	}
	// Story 3 merges into 2 first; then 2 (with 3's articles) into 1.
	val(s.Assign(ctx, store.Assignment{Story: 2, Merged: []int64{3}})).must(t)
	st := val(s.Assign(ctx, store.Assignment{ArticleID: w.ID, Story: 1, Merged: []int64{2}, Headline: "Merged"})).must(t)
	if st.Articles != 4 || st.Outlets != 2 || st.Countries != 2 || !st.FirstSeen.Equal(t0) || !st.Updated.Equal(w.Published) {
		t.Fatalf("merged story %+v", st)
	}
	for _, id := range []int64{2, 3} {
		m := val(s.Story(ctx, id)).must(t)
		if m.MergedInto != 1 || m.Articles != 0 {
			t.Fatalf("story %d after merge: %+v (redirect must be one hop to 1)", id, m)
		}
	}
	for _, a := range []model.Article{x, y, z, w} {
		if got := val(s.Article(ctx, a.ID)).must(t); got.StoryID != 1 {
			t.Fatalf("article %d in story %d after merge", a.ID, got.StoryID)
		}
	}
	live := val3(s.Stories(ctx, store.StoryQuery{})).must(t)
	if got := ids(live, func(s model.Story) int64 { return s.ID }); !slices.Equal(got, []int64{1}) {
		t.Fatalf("live stories %v", got)
	}
	if n := val(s.MaxStoryID(ctx)).must(t); n != 3 {
		t.Fatalf("max story id %d", n)
	}
}

func testStoryPages(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "S", "JP")
	type key struct {
		score float64
		id    int64
	}
	var keys []key
	for i := range 23 {
		id := int64(10 + i)
		a := article(t, s, src, fmt.Sprintf("https://s.example/%d", i), t0, "t", "")
		val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: id})).must(t)
		if i%4 == 0 { // a second article: only these pass MinArticles 2
			b := article(t, s, src, fmt.Sprintf("https://s.example/%d-b", i), t0, "t", "")
			val(s.Assign(ctx, store.Assignment{ArticleID: b.ID, Story: id})).must(t)
		}
		score := float64(i%5) + 0.1 // ties on score, broken by id
		if err := s.SetStoryScore(ctx, id, score); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key{score, id})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return int(b.id - a.id)
	})
	var want, wantMulti []int64
	for _, k := range keys {
		want = append(want, k.id)
		if (k.id-10)%4 == 0 {
			wantMulti = append(wantMulti, k.id)
		}
	}
	page := func(q store.StoryQuery) []int64 {
		var out []int64
		for range 100 {
			list, next, err := s.Stories(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, ids(list, func(s model.Story) int64 { return s.ID })...)
			if next == "" {
				return out
			}
			q.Cursor = next
		}
		t.Fatal("cursor loops")
		return nil
	}
	if got := page(store.StoryQuery{Limit: 4}); !slices.Equal(got, want) {
		t.Fatalf("story pages %v, want %v", got, want)
	}
	if got := page(store.StoryQuery{Limit: 2, MinArticles: 2}); !slices.Equal(got, wantMulti) {
		t.Fatalf("stories with 2+ articles %v, want %v", got, wantMulti)
	}
	if _, _, err := s.Stories(ctx, store.StoryQuery{Cursor: "%%"}); !errors.Is(err, store.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func testInsight(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.Insight(ctx, 5); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing insight: %v", err)
	}
	if err := s.SaveInsight(ctx, 5, "v1", []byte(`{"summary":"a"}`)); err != nil {
		t.Fatal(err)
	}
	blob := []byte{0, 1, 2, 255, '"', '\''}
	if err := s.SaveInsight(ctx, 5, "v2", blob); err != nil {
		t.Fatal(err)
	}
	v, data, err := s.Insight(ctx, 5)
	if err != nil || v != "v2" || string(data) != string(blob) {
		t.Fatalf("insight %q %q %v", v, data, err)
	}
	if err := s.SaveInsight(ctx, 6, "v1", nil); err != nil {
		t.Fatal(err)
	}
	if v, data, err := s.Insight(ctx, 6); err != nil || v != "v1" || len(data) != 0 {
		t.Fatalf("empty insight %q %q %v", v, data, err)
	}
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "Q", "GB")
	now := time.Now().UTC()
	inTitle := article(t, s, src, "https://q.example/1", now.Add(-2*time.Hour), "Volcano erupts near village",
		"Residents were evacuated on Tuesday as ash fell.")
	inBody := article(t, s, src, "https://q.example/2", now.Add(-2*time.Hour), "Flights cancelled across the region",
		"Airlines grounded planes after the volcano sent ash into the sky.")
	old := article(t, s, src, "https://q.example/3", now.Add(-90*24*time.Hour), "Volcano erupts near village",
		"Residents were evacuated on Tuesday as ash fell.")
	markets := article(t, s, src, "https://q.example/4", now, "Markets rally", "Shares rose for a third day.")

	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"volcano airlines", []int64{inBody.ID}},
		{"Evacuated VILLAGE", []int64{inTitle.ID, old.ID}},
		{"markets", []int64{markets.ID}},
		{"nothing matches this", nil},
	} {
		got := ids(val(s.Search(ctx, tc.q, 10)).must(t), articleID)
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q: %v, want %v", tc.q, got, tc.want)
		}
	}
	// A fresh title match ranks above an old identical one and above a body
	// match of the same age.
	for _, q := range []string{"volcano", "VOLCANO ash"} {
		got := ids(val(s.Search(ctx, q, 10)).must(t), articleID)
		pos := map[int64]int{}
		for i, id := range got {
			pos[id] = i
		}
		if len(got) != 3 || pos[inTitle.ID] != 0 {
			t.Errorf("search %q: %v, want %d first of 3", q, got, inTitle.ID)
		}
	}
	if got := val(s.Search(ctx, "volcano", 1)).must(t); len(got) != 1 || got[0].ID != inTitle.ID || got[0].Source.Name != "Q" {
		t.Fatalf("top result %+v", got)
	}
	// Stemming: the English forms meet.
	if got := val(s.Search(ctx, "evacuate", 10)).must(t); len(got) != 2 {
		t.Errorf("stemmed search found %d", len(got))
	}
	// User text is never syntax.
	for _, q := range []string{`"volcano`, `volcano AND (ash`, `title:volcano*`, `-volcano ^ NEAR(ash)`, `'; DROP TABLE articles; --`, `"" ''`, "   ", ""} {
		if _, err := s.Search(ctx, q, 10); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	if got := val(s.Search(ctx, `"volcano" -`, 10)).must(t); len(got) != 3 {
		t.Errorf("quotes and operators should be dropped around a match, got %d", len(got))
	}
	if got := val(s.Search(ctx, "", 10)).must(t); got != nil {
		t.Errorf("empty query matched %d", len(got))
	}
}

func testSearchStories(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "R", "IE")
	now := time.Now().UTC()
	a := article(t, s, src, "https://r.example/1", now.Add(-time.Hour), "Storm closes schools", "Heavy wind and rain.")
	b := article(t, s, src, "https://r.example/2", now.Add(-time.Hour), "Budget passes", "The storm of debate ended.")
	c := article(t, s, src, "https://r.example/3", now.Add(-time.Hour), "Storm damage counted", "Roofs were torn off.")
	article(t, s, src, "https://r.example/4", now, "Storm unclustered", "Not in a story yet.")
	val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: 1})).must(t)
	val(s.Assign(ctx, store.Assignment{ArticleID: b.ID, Story: 2})).must(t)
	val(s.Assign(ctx, store.Assignment{ArticleID: c.ID, Story: 3})).must(t)
	got := ids(val(s.SearchStories(ctx, "storm", 10)).must(t), func(s model.Story) int64 { return s.ID })
	if len(got) != 3 || got[2] != 2 {
		t.Fatalf("story search %v: want 1 and 3 (title matches) before 2", got)
	}
	val(s.Assign(ctx, store.Assignment{Story: 1, Merged: []int64{3}})).must(t)
	got = ids(val(s.SearchStories(ctx, "storm", 10)).must(t), func(s model.Story) int64 { return s.ID })
	if !slices.Equal(got, []int64{1, 2}) {
		t.Fatalf("after merge story search %v, want [1 2]", got)
	}
	if got := val(s.SearchStories(ctx, `"storm"" -`, 1)).must(t); len(got) != 1 {
		t.Fatalf("limit/quoting: %v", got)
	}
}

func testLeader(t *testing.T, s store.Store) {
	ctx := context.Background()
	first, ok, err := s.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("first leader: %v %v", ok, err)
	}
	if _, ok, err := s.TryLeader(ctx, store.ClusterLeader); err != nil || ok {
		t.Fatalf("second leader while first leads: %v %v", ok, err)
	}
	other, ok, err := s.TryLeader(ctx, "other-job")
	if err != nil || !ok {
		t.Fatalf("independent name: %v %v", ok, err)
	}
	other.Release()
	work, stop := first.Context(ctx)
	defer stop()
	select {
	case <-first.Lost:
		t.Fatal("Lost closed while leading")
	case <-work.Done():
		t.Fatal("leader's context ended while leading")
	default:
	}
	first.Release()
	first.Release() // idempotent
	<-first.Lost    // closed by Release
	<-work.Done()   // and the work under it ends
	if cause := context.Cause(work); !errors.Is(cause, store.ErrFenced) {
		t.Fatalf("cause of the leader's context end: %v, want ErrFenced", cause)
	}
	again, ok, err := s.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("leader after release: %v %v", ok, err)
	}
	defer again.Release()
	if again.Epoch <= first.Epoch {
		t.Fatalf("epoch %d after %d: the fencing token must grow", again.Epoch, first.Epoch)
	}
}

// testFencing: a deposed leader's writes are refused, and a story or
// storyline the clusterer says is new is never merged into one that exists.
func testFencing(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := source(t, s, "F", "GB")
	a := article(t, s, src, "https://f.example/a", t0, "Bridge reopens", "The bridge reopened.")
	b := article(t, s, src, "https://f.example/b", t0.Add(time.Hour), "Election called", "An election was called.")
	c := article(t, s, src, "https://f.example/c", t0.Add(2*time.Hour), "Bridge traffic returns", "Traffic returned to the bridge.")
	lead := func() store.Leadership {
		t.Helper()
		l, ok, err := s.TryLeader(ctx, store.ClusterLeader)
		if err != nil || !ok {
			t.Fatalf("lead: %v %v", ok, err)
		}
		return l
	}
	unclustered := func(a model.Article) {
		t.Helper()
		if got := val(s.Article(ctx, a.ID)).must(t); got.StoryID != 0 {
			t.Fatalf("article %d was put in story %d by a refused write", a.ID, got.StoryID)
		}
	}
	first := lead()
	val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: 1, New: true, Storyline: 1, NewStoryline: true, Epoch: first.Epoch})).must(t)
	first.Release()
	second := lead()
	defer second.Release()

	for _, tc := range []struct {
		name string
		as   store.Assignment
	}{
		{"stale epoch", store.Assignment{ArticleID: b.ID, Story: 2, New: true, Storyline: 2, NewStoryline: true, Epoch: first.Epoch}},
		{"epoch never granted", store.Assignment{ArticleID: b.ID, Story: 2, New: true, Epoch: second.Epoch + 1}},
		{"new story id exists", store.Assignment{ArticleID: b.ID, Story: 1, New: true, Storyline: 2, NewStoryline: true, Epoch: second.Epoch}},
		{"new story id exists, unfenced", store.Assignment{ArticleID: b.ID, Story: 1, New: true}},
		{"new storyline id in use", store.Assignment{ArticleID: b.ID, Story: 2, New: true, Storyline: 1, NewStoryline: true, Epoch: second.Epoch}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Assign(ctx, tc.as)
			if !errors.Is(err, store.ErrFenced) {
				t.Fatalf("Assign %+v: %v, want ErrFenced", tc.as, err)
			}
			unclustered(b)
			if st := val(s.Story(ctx, 1)).must(t); st.Articles != 1 || st.StorylineID != 1 {
				t.Fatalf("story 1 changed by a refused write: %+v", st)
			}
			if _, err := s.Story(ctx, 2); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("story 2 created by a refused write: %v", err)
			}
		})
	}
	// The current leader's writes pass: a new story, and joining one.
	val(s.Assign(ctx, store.Assignment{ArticleID: b.ID, Story: 2, New: true, Storyline: 2, NewStoryline: true, Epoch: second.Epoch})).must(t)
	if st := val(s.Assign(ctx, store.Assignment{ArticleID: c.ID, Story: 1, Storyline: 1, Epoch: second.Epoch})).must(t); st.Articles != 2 {
		t.Fatalf("joining story 1: %+v", st)
	}
}

// SearchRanksNewestMatchesOnly checks the bound on ranked matches: with
// setMax(3) only the 3 newest of 6 matches are ranked (even though the oldest
// is the best match), and with a higher bound all are. setMax changes the
// backend's bound; the caller restores it.
func SearchRanksNewestMatchesOnly(t *testing.T, s store.Store, setMax func(int)) {
	setMax(3)
	ctx := context.Background()
	src, err := s.UpsertSource(ctx, model.Source{Name: "Bound"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range 6 {
		a := model.Article{SourceID: src.ID, URL: fmt.Sprintf("https://bound.example/%d", i), Title: "harbour", Published: time.Now()}
		if i == 0 {
			a.Title = "harbour harbour harbour" // the best match, but the oldest
		}
		if _, err := s.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
		if _, err := s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Search(ctx, "harbour", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("ranked %d matches, want the newest 3", len(got))
	}
	for _, a := range got {
		if a.ID < ids[3] {
			t.Errorf("article %d is older than the newest 3", a.ID)
		}
	}
	stories, err := s.SearchStories(ctx, "harbour", 10)
	if err != nil || len(stories) != 3 {
		t.Fatalf("stories %d, %v", len(stories), err)
	}
	setMax(100)
	if got, err := s.Search(ctx, "harbour", 10); err != nil || len(got) != 6 || got[0].ID != ids[0] {
		t.Fatalf("unbounded: %d results, %v", len(got), err)
	}
}

// OpenAtOnce opens n stores at the same moment, as n processes starting
// together would; they are closed when the test ends.
func OpenAtOnce[S interface{ Close() error }](t *testing.T, n int, open func() (S, error)) []S {
	t.Helper()
	out, errs := make([]S, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = open()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			t.Cleanup(func() { out[i].Close() })
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("open %d stores at once: %v", n, err)
	}
	return out
}

// AppliedOnce checks that every migration file in fsys (migrations/*.sql)
// was recorded exactly once in db's schema_migrations.
func AppliedOnce(t *testing.T, db *sql.DB, fsys fs.FS) {
	t.Helper()
	files, _ := fs.Glob(fsys, "migrations/*.sql")
	var applied int
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != len(files) {
		t.Fatalf("schema_migrations rows: %d for %d files (%v)", applied, len(files), err)
	}
}

func testSetSourceName(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := source(t, s, "127.0.0.57", "GB")
	b := source(t, s, "other", "US")
	tests := []struct {
		name    string
		id      int64
		to      string
		wantErr error
		anyErr  bool
	}{
		{"rename", a.ID, "Example Gazette", nil, false},
		{"same name again", a.ID, "Example Gazette", nil, false},
		{"taken by another", b.ID, "Example Gazette", store.ErrNameTaken, true},
		{"missing source", 999999, "Nobody", store.ErrNotFound, true},
		{"empty", a.ID, "  ", nil, true},
	}
	for _, tt := range tests {
		err := s.SetSourceName(ctx, tt.id, tt.to)
		if tt.anyErr != (err != nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
			t.Errorf("%s: SetSourceName(%d, %q) = %v, want %v", tt.name, tt.id, tt.to, err, tt.wantErr)
		}
	}
	srcs := val(s.Sources(ctx)).must(t)
	names := map[int64]string{}
	for _, src := range srcs {
		names[src.ID] = src.Name
	}
	if names[a.ID] != "Example Gazette" || names[b.ID] != "other" {
		t.Errorf("names after renames = %v", names)
	}
	// The renamed source keeps its other fields.
	got := val(s.UpsertSource(ctx, model.Source{Name: "Example Gazette"})).must(t)
	if got.ID != a.ID || got.Country != "GB" {
		t.Errorf("renamed source = %+v, want id %d country GB", got, a.ID)
	}
}
