package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

func storyIDs(list []model.Story) []int64 {
	return ids(list, func(s model.Story) int64 { return s.ID })
}

// testStorylines: Assign places events in storylines and merges storylines;
// Storyline lists a storyline's events newest first; MaxStorylineID resumes.
func testStorylines(t *testing.T, s store.Store) {
	ctx := context.Background()
	if n := val(s.MaxStorylineID(ctx)).must(t); n != 0 {
		t.Fatalf("max storyline id of empty store %d", n)
	}
	us, fr, de := source(t, s, "LineUS", "US"), source(t, s, "LineFR", "FR"), source(t, s, "LineDE", "DE")
	steps := []struct {
		src      model.Source
		at       time.Duration
		event    int64
		line     int64
		merged   []int64
		headline string
	}{
		{us, 0, 1, 10, nil, "Broad event"},
		{fr, time.Hour, 1, 10, nil, ""},
		{de, 48 * time.Hour, 2, 10, nil, "Follow-up"},
		{us, 24 * time.Hour, 3, 20, nil, "Other line"},
		{fr, 30 * time.Hour, 4, 0, nil, "Stands alone"}, // no storyline given: its own
	}
	for i, st := range steps {
		a := article(t, s, st.src, "https://line.example/"+string(rune('a'+i)), t0.Add(st.at), "t", "")
		val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: st.event, Storyline: st.line,
			StorylinesMerged: st.merged, Headline: st.headline})).must(t)
	}
	for id, want := range map[int64]int64{1: 10, 2: 10, 3: 20, 4: 4} {
		if got := val(s.Story(ctx, id)).must(t); got.StorylineID != want {
			t.Errorf("story %d in storyline %d, want %d", id, got.StorylineID, want)
		}
	}
	line, events, err := s.Storyline(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Storyline{ID: 10, Title: "Broad event", FirstSeen: t0, Updated: t0.Add(48 * time.Hour), Events: 2, Articles: 3, Outlets: 3}
	if line != want {
		t.Fatalf("storyline %+v, want %+v", line, want)
	}
	if got := storyIDs(events); !slices.Equal(got, []int64{2, 1}) {
		t.Fatalf("events %v, want newest first [2 1]", got)
	}
	for _, id := range []int64{0, 999} {
		if _, _, err := s.Storyline(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("storyline %d: %v", id, err)
		}
	}
	if n := val(s.MaxStorylineID(ctx)).must(t); n != 20 {
		t.Fatalf("max storyline id %d", n)
	}

	// A new event joins storyline 10 and folds storyline 20 into it.
	a := article(t, s, fr, "https://line.example/merge", t0.Add(72*time.Hour), "t", "")
	val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: 5, Storyline: 10, StorylinesMerged: []int64{20, 10, 0}, Headline: "Latest"})).must(t)
	line, events, err = s.Storyline(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := storyIDs(events); !slices.Equal(got, []int64{5, 2, 3, 1}) || line.Events != 4 || line.Articles != 5 || line.Outlets != 3 {
		t.Fatalf("after storyline merge: events %v, storyline %+v", got, line)
	}
	if l, ev, err := s.Storyline(ctx, 20); err != nil || l != (model.Storyline{ID: 20, MergedInto: 10}) || len(ev) != 0 {
		t.Fatalf("merged storyline: %+v, %d events, %v", l, len(ev), err)
	}
	frontPage := func() map[int64]int {
		t.Helper()
		out := map[int64]int{}
		for _, st := range val3(s.Stories(ctx, store.StoryQuery{PerStoryline: true})).must(t) {
			out[st.ID] = st.StorylineEvents
		}
		return out
	}
	if got, want := frontPage(), map[int64]int{5: 4, 4: 1}; !maps.Equal(got, want) {
		t.Fatalf("one per storyline after the merge %v, want %v", got, want)
	}
	// An event merged into another leaves the storyline's events.
	b := article(t, s, de, "https://line.example/dup", t0.Add(73*time.Hour), "t", "")
	val(s.Assign(ctx, store.Assignment{ArticleID: b.ID, Story: 6, Storyline: 10})).must(t)
	val(s.Assign(ctx, store.Assignment{Story: 5, Merged: []int64{6}})).must(t)
	if _, events, _ := s.Storyline(ctx, 10); !slices.Equal(storyIDs(events), []int64{5, 2, 3, 1}) {
		t.Fatalf("events after an event merge %v", storyIDs(events))
	}
	if got, want := frontPage(), map[int64]int{5: 4, 4: 1}; !maps.Equal(got, want) {
		t.Fatalf("one per storyline after an event merge %v, want %v", got, want)
	}
	// An earlier report reaching event 5 makes it older than event 2: event 2
	// is now the storyline's newest.
	c := article(t, s, us, "https://line.example/early", t0.Add(30*time.Hour), "t", "")
	val(s.Assign(ctx, store.Assignment{ArticleID: c.ID, Story: 5, Storyline: 10})).must(t)
	if got, want := frontPage(), map[int64]int{2: 4, 4: 1}; !maps.Equal(got, want) {
		t.Fatalf("after event 5 gained an earlier article %v, want %v", got, want)
	}
	// Moving event 2's only article away leaves event 2 empty: 5 is newest again.
	two := val3(s.Articles(ctx, store.ArticleQuery{StoryID: 2})).must(t)
	val(s.Assign(ctx, store.Assignment{ArticleID: two[0].ID, Story: 5})).must(t)
	if got, want := frontPage(), map[int64]int{5: 3, 4: 1}; !maps.Equal(got, want) {
		t.Fatalf("after event 2 lost its article %v, want %v", got, want)
	}
	// Storyline 10 folds into 30, then 30 into 25: every redirect is one
	// hop to 25, and ids of merged storylines are never handed out again.
	for _, m := range []struct{ event, into, from int64 }{{7, 30, 10}, {8, 25, 30}} {
		a := article(t, s, de, fmt.Sprintf("https://line.example/fold-%d", m.event), t0.Add(100*time.Hour), "t", "")
		val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: m.event, Storyline: m.into, StorylinesMerged: []int64{m.from}})).must(t)
	}
	for _, id := range []int64{10, 20, 30} {
		if l, _, err := s.Storyline(ctx, id); err != nil || l.MergedInto != 25 {
			t.Errorf("storyline %d: %+v %v, want a redirect to 25", id, l, err)
		}
	}
	if l, ev, err := s.Storyline(ctx, 25); err != nil || l.MergedInto != 0 || !slices.Equal(storyIDs(ev), []int64{8, 7, 5, 3, 1}) {
		t.Errorf("storyline 25: %+v %v %v", l, storyIDs(ev), err)
	}
	if n := val(s.MaxStorylineID(ctx)).must(t); n != 30 {
		t.Errorf("max storyline id %d, want 30 (a merged storyline's)", n)
	}
}

// testPerStoryline: the front-page listing shows a storyline once, by its
// newest event, ranked at the best score of any of its live events
// (line_score), which Assign, SetStoryScore and Rescore keep current.
func testPerStoryline(t *testing.T, s store.Store) {
	ctx := context.Background()
	src, src2 := source(t, s, "PerA", "US"), source(t, s, "PerB", "GB")
	type ev struct {
		id, line int64
		at       time.Duration
		articles int
		score    float64
	}
	for i, e := range []ev{
		{1, 1, 0, 2, 9},               // old, broad, highest score
		{2, 1, 24 * time.Hour, 1, 1},  // newest of storyline 1: a small follow-up
		{3, 3, 2 * time.Hour, 1, 5},   // alone, mid-ranked: above event 2's own score
		{4, 4, 0, 2, 3},               // storyline 4: older event, 2 articles
		{5, 4, 5 * time.Hour, 2, 4},   // storyline 4: newest, 2 articles, its best
		{6, 6, time.Hour, 2, 5},       // storyline 6: best score ties with event 3
		{7, 6, 3 * time.Hour, 1, 0.5}, // storyline 6: newest
	} {
		for j := range e.articles {
			a := article(t, s, []model.Source{src, src2}[j], "https://per.example/"+string(rune('a'+i))+string(rune('0'+j)), t0.Add(e.at), "t", "")
			val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: e.id, Storyline: e.line})).must(t)
		}
		if err := s.SetStoryScore(ctx, e.id, e.score); err != nil {
			t.Fatal(err)
		}
	}
	type listing struct {
		ids    []int64
		counts []int
		lines  []float64 // StorylineScore
	}
	list := func(q store.StoryQuery) listing {
		var got listing
		for range 20 {
			page, next, err := s.Stories(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range page {
				got.ids = append(got.ids, st.ID)
				got.counts = append(got.counts, st.StorylineEvents)
				got.lines = append(got.lines, st.StorylineScore)
			}
			if next == "" {
				return got
			}
			q.Cursor = next
		}
		t.Fatal("cursor loops")
		return listing{}
	}
	check := func(name string, q store.StoryQuery, want listing) {
		t.Helper()
		got := list(q)
		if !slices.Equal(got.ids, want.ids) || !slices.Equal(got.counts, want.counts) || !slices.Equal(got.lines, want.lines) {
			t.Errorf("%s: %v (events %v, storyline scores %v), want %v (%v, %v)",
				name, got.ids, got.counts, got.lines, want.ids, want.counts, want.lines)
		}
	}
	// Storyline 1 is listed once, by its follow-up 2, at the score its broad
	// event 1 earned: above event 3, which event 2's own score ranks below.
	// Storyline 6 (best 5) ties with event 3: the higher id comes first.
	perLine := listing{[]int64{2, 7, 3, 5}, []int{2, 2, 1, 2}, []float64{9, 5, 5, 4}}
	for _, tc := range []struct {
		name string
		q    store.StoryQuery
		want listing
	}{
		{"all events", store.StoryQuery{}, listing{[]int64{1, 6, 3, 5, 4, 2, 7}, []int{2, 2, 1, 2, 2, 2, 2}, []float64{9, 5, 5, 4, 4, 9, 5}}},
		{"all events, paged", store.StoryQuery{Limit: 2}, listing{[]int64{1, 6, 3, 5, 4, 2, 7}, []int{2, 2, 1, 2, 2, 2, 2}, []float64{9, 5, 5, 4, 4, 9, 5}}},
		{"one per storyline", store.StoryQuery{PerStoryline: true}, perLine},
		// Pages end inside ties and on entries whose own score is far below
		// the storyline's: the cursor pages on (line_score, id).
		{"one per storyline, paged by 1", store.StoryQuery{PerStoryline: true, Limit: 1}, perLine},
		{"one per storyline, paged by 2", store.StoryQuery{PerStoryline: true, Limit: 2}, perLine},
		// Storyline 1's newest event has one article: the storyline is not
		// listed, and its older two-article event does not stand in for it.
		{"one per storyline, 2+ articles", store.StoryQuery{PerStoryline: true, MinArticles: 2}, listing{[]int64{5}, []int{2}, []float64{4}}},
	} {
		check(tc.name, tc.q, tc.want)
	}

	// Assign keeps line_score as it rescores: event 7 rises to 7 and lifts
	// storyline 6. A lower score for event 1 lowers storyline 1 to its
	// best remaining score.
	a := article(t, s, src2, "https://per.example/late", t0.Add(3*time.Hour), "t", "")
	rankBy := func(_, _, articles int, _, _ time.Time) float64 { return 3.5 * float64(articles) }
	val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: 7, Storyline: 6, Rank: rankBy})).must(t)
	if err := s.SetStoryScore(ctx, 1, 2); err != nil {
		t.Fatal(err)
	}
	check("after assign and set score", store.StoryQuery{PerStoryline: true, Limit: 1},
		listing{[]int64{7, 3, 5, 2}, []int{2, 1, 2, 2}, []float64{7, 5, 4, 2}})

	// Rescore sets every storyline's best score from the new scores.
	rank := func(_, _, articles int, first, _ time.Time) float64 {
		return float64(articles) + first.Sub(t0).Hours()/4
	}
	if n, err := s.Rescore(ctx, rank); err != nil || n != 7 {
		t.Fatalf("rescore: %d stories, %v; want 7", n, err)
	}
	// Scores now: 1: 2, 2: 7, 3: 1.5, 4: 2, 5: 3.25, 6: 2.25, 7: 2.75.
	check("after rescore", store.StoryQuery{PerStoryline: true, Limit: 1},
		listing{[]int64{2, 5, 7, 3}, []int{2, 2, 2, 1}, []float64{7, 3.25, 2.75, 1.5}})
}

// testRescore: every live story is scored again from its aggregates; merged
// stories are left alone.
func testRescore(t *testing.T, s store.Store) {
	ctx := context.Background()
	rank := func(outlets, countries, articles int, first, last time.Time) float64 {
		if articles == 0 {
			return 0
		}
		return float64(1000*outlets+100*countries+articles) + last.Sub(first).Hours()
	}
	if n, err := s.Rescore(ctx, rank); err != nil || n != 0 {
		t.Fatalf("rescore empty store: %d %v", n, err)
	}
	srcs := []model.Source{source(t, s, "RA", "US"), source(t, s, "RB", "FR"), source(t, s, "RC", "")}
	for i := range 7 {
		a := article(t, s, srcs[i%3], "https://rescore.example/"+string(rune('a'+i)), t0.Add(time.Duration(i)*time.Hour), "t", "")
		val(s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(1 + i/2)})).must(t)
	}
	val(s.Assign(ctx, store.Assignment{Story: 1, Merged: []int64{4}})).must(t)
	if err := s.SetStoryScore(ctx, 4, -7); err != nil {
		t.Fatal(err)
	}
	n, err := s.Rescore(ctx, rank)
	if err != nil || n != 3 {
		t.Fatalf("rescore: %d stories, %v; want 3", n, err)
	}
	for id := int64(1); id <= 4; id++ {
		st := val(s.Story(ctx, id)).must(t)
		want := rank(st.Outlets, st.Countries, st.Articles, st.FirstSeen, st.Updated)
		if id == 4 {
			want = -7 // merged: untouched
		}
		if st.Score != want {
			t.Errorf("story %d (%d outlets, %d articles) score %v, want %v", id, st.Outlets, st.Articles, st.Score, want)
		}
	}
	if _, err := s.Rescore(ctx, nil); err == nil {
		t.Fatal("rescore without a rank function succeeded")
	}
}

// StorylineMarker is text only the migration adding storylines contains.
const StorylineMarker = "ADD COLUMN storyline_id"

// MigrationsBefore returns the migration files of fsys (at its root) that
// sort before the first one containing marker: the schema an older
// Dateline left behind.
func MigrationsBefore(t *testing.T, fsys fs.FS, marker string) fs.FS {
	t.Helper()
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	out := fstest.MapFS{}
	for _, n := range names {
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), marker) {
			return out
		}
		out[n] = &fstest.MapFile{Data: body}
	}
	t.Fatalf("no migration contains %q", marker)
	return nil
}

// OldStory is the story InsertOldStory writes: id 7, two articles.
const OldStory = 7

// InsertOldStory writes a source, two articles and their story with only
// the columns of the schema before storylines, as an existing database
// holds them. rebind adapts "?" placeholders to the backend.
func InsertOldStory(t *testing.T, db *sql.DB, rebind func(string) string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO sources (id, name, home_url, country, language) VALUES (?, ?, ?, ?, ?)`, []any{1, "Old", "https://old.example", "US", "en"}},
		{`INSERT INTO articles (source_id, url, title, published, fetched, story_id) VALUES (?, ?, ?, ?, ?, ?)`,
			[]any{1, "https://old.example/1", "Old one", t0.UnixMicro(), t0.UnixMicro(), OldStory}},
		{`INSERT INTO articles (source_id, url, title, published, fetched, story_id) VALUES (?, ?, ?, ?, ?, ?)`,
			[]any{1, "https://old.example/2", "Old two", t0.Add(time.Hour).UnixMicro(), t0.UnixMicro(), OldStory}},
		{`INSERT INTO stories (id, headline, first_seen, updated, articles, outlets, countries, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			[]any{OldStory, "Old story", t0.UnixMicro(), t0.Add(time.Hour).UnixMicro(), 2, 1, 1, 1.5}},
	} {
		if _, err := db.ExecContext(ctx, rebind(q.sql), q.args...); err != nil {
			t.Fatalf("old schema: %s: %v", q.sql, err)
		}
	}
}

// CheckMigratedStory checks, on a store opened over InsertOldStory's
// database, that the old story became a storyline of its own and that
// clustering resumes after it.
func CheckMigratedStory(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	st := val(s.Story(ctx, OldStory)).must(t)
	if st.StorylineID != OldStory || st.Headline != "Old story" || st.Articles != 2 || st.Score != 1.5 || st.StorylineScore != 1.5 {
		t.Fatalf("migrated story %+v", st)
	}
	line, events, err := s.Storyline(ctx, OldStory)
	if err != nil || line.Title != "Old story" || line.Events != 1 || line.Outlets != 1 || !slices.Equal(storyIDs(events), []int64{OldStory}) {
		t.Fatalf("storyline of migrated story: %+v %v %v", line, storyIDs(events), err)
	}
	if n := val(s.MaxStorylineID(ctx)).must(t); n != OldStory {
		t.Fatalf("max storyline id %d after migration", n)
	}
	list := val3(s.Stories(ctx, store.StoryQuery{PerStoryline: true})).must(t)
	if len(list) != 1 || list[0].ID != OldStory || list[0].StorylineEvents != 1 {
		t.Fatalf("front page after migration %+v", list)
	}
}
