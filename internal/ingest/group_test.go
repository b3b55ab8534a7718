package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store"
	storypkg "github.com/dateline-news/dateline/internal/story"
)

const bridgeA = `{"id":"a","title":"Harbour bridge in Cobh closed after cable corrosion found","text":"Cork County Council closed the harbour bridge in Cobh on Monday after engineers found corrosion in two of its main cables. Council engineer Mary Walsh said repairs would take eleven weeks. Lorries will be diverted through Midleton.","published":"2026-11-16T09:00:00Z","source":"Irish Examiner","url":"https://example.ie/a","lang":"en"}
{"id":"b","title":"Ferry talks begin as Mars rover finds clay","text":"Scientists said the Mars rover Perseverance found clay minerals in Jezero crater, a sign that water once pooled there for a long time, NASA said on Monday.","published":"2026-11-16T10:00:00Z","source":"Space Daily","url":"https://example.org/b","lang":"en"}
`

const bridgeC = `{"id":"c","title":"Cobh harbour bridge closure: corroded cables to take eleven weeks to repair","text":"The harbour bridge in Cobh will stay closed for eleven weeks while corrosion in two main cables is repaired, Cork County Council engineer Mary Walsh said. Lorries are being diverted through Midleton.","published":"2026-11-16T15:00:00Z","source":"RTÉ","url":"https://example.ie/c","lang":"en"}
`

// TestGrouperResumesAfterRestart: a new process seeds the clusterer from the
// database, so a follow-up article joins the story started before the restart
// and the re-import of a corpus changes nothing.
func TestGrouperResumesAfterRestart(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	now := time.Date(2026, 11, 16, 16, 0, 0, 0, time.UTC)
	if _, err := Import(ctx, st, strings.NewReader(bridgeA), now); err != nil {
		t.Fatal(err)
	}
	first, err := NewGrouper(ctx, st, nil, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if n, err := first.Step(ctx, 100); err != nil || n != 2 {
		t.Fatalf("first step: %d, %v", n, err)
	}
	lines := storylines(t, st)

	// "Restart": a fresh grouper over the same store.
	if _, err := Import(ctx, st, strings.NewReader(bridgeC), now); err != nil {
		t.Fatal(err)
	}
	second, err := NewGrouper(ctx, st, nil, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if n, err := second.Step(ctx, 100); err != nil || n != 1 {
		t.Fatalf("second step: %d, %v", n, err)
	}
	arts, _, err := st.Articles(ctx, store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	story := map[string]int64{}
	for _, a := range arts {
		story[a.GUID] = a.StoryID
	}
	if story["a"] == 0 || story["a"] != story["c"] {
		t.Errorf("follow-up not in the story begun before the restart: %v", story)
	}
	if story["b"] == story["a"] {
		t.Errorf("unrelated article joined the bridge story: %v", story)
	}
	s, err := st.Story(ctx, story["a"])
	if err != nil || s.Articles != 2 || s.Outlets != 2 {
		t.Errorf("story aggregates: %+v, %v", s, err)
	}
	if want := storypkg.Rank(s.Outlets, s.Countries, s.Articles, s.FirstSeen, s.Updated); s.Score != want {
		t.Errorf("story score %v, want the rank of its aggregates %v", s.Score, want)
	}
	// The restored events keep their storylines: the follow-up joined the
	// bridge event's storyline, and no storyline id was reused.
	after := storylines(t, st)
	if after["a"] == 0 || after["a"] != lines["a"] || after["c"] != after["a"] || after["b"] != lines["b"] || after["b"] == after["a"] {
		t.Errorf("storylines before restart %v, after %v", lines, after)
	}
	res, err := Import(ctx, st, strings.NewReader(bridgeA+bridgeC), now)
	if err != nil || res.Added != 0 || res.Skipped != 3 {
		t.Errorf("re-import: %+v, %v", res, err)
	}
}

// storylines maps each article's GUID to its story's storyline.
func storylines(t *testing.T, st store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	arts, _, err := st.Articles(ctx, store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, a := range arts {
		s, err := st.Story(ctx, a.StoryID)
		if err != nil {
			t.Fatalf("story of article %s: %v", a.GUID, err)
		}
		out[a.GUID] = s.StorylineID
	}
	return out
}
