package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store"
)

const strike = `{"id":"s","title":"Rail workers vote to strike over pay","text":"Members of the rail workers' union voted to strike for two days next month after pay talks with the operator broke down, the union said on Tuesday.","published":"2026-11-16T12:00:00Z","source":"Example Wire","url":"https://wire.example/strike","lang":"en"}
`

// storyOf returns the story of the article with this GUID.
func storyOf(t *testing.T, st store.Store, guid string) int64 {
	t.Helper()
	arts, _, err := st.Articles(context.Background(), store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.GUID == guid {
			return a.StoryID
		}
	}
	t.Fatalf("no article %q", guid)
	return 0
}

// TestGrouperFenced: two clusterers built from the same stored state (a
// leader that lost its lock and the one that took over) allocate the same
// new story ids. The stale one's writes are refused — by the epoch, and
// without one by the id check — instead of putting an unrelated article
// into the other's story; a Grouper restored afterwards clusters it.
func TestGrouperFenced(t *testing.T) {
	now := time.Date(2026, 11, 16, 16, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	for _, tc := range []struct {
		name   string
		fenced bool // the Groupers carry their leadership's epoch
	}{
		{"epoch", true},
		{"id check", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := newStore(t)
			if _, err := Import(ctx, st, strings.NewReader(bridgeA), now); err != nil {
				t.Fatal(err)
			}
			first, ok, err := st.TryLeader(ctx, store.ClusterLeader)
			if err != nil || !ok {
				t.Fatalf("lead: %v %v", ok, err)
			}
			stale, err := NewGrouper(ctx, st, nil, clock)
			if err != nil {
				t.Fatal(err)
			}
			first.Release() // its lock is lost; another process takes over
			second, ok, err := st.TryLeader(ctx, store.ClusterLeader)
			if err != nil || !ok {
				t.Fatalf("take over: %v %v", ok, err)
			}
			defer second.Release()
			current, err := NewGrouper(ctx, st, nil, clock)
			if err != nil {
				t.Fatal(err)
			}
			if tc.fenced {
				stale.Epoch, current.Epoch = first.Epoch, second.Epoch
			}
			if n, err := current.Step(ctx, 100); err != nil || n != 2 {
				t.Fatalf("current leader: %d, %v", n, err)
			}
			bridge := storyOf(t, st, "a")

			if _, err := Import(ctx, st, strings.NewReader(strike), now); err != nil {
				t.Fatal(err)
			}
			n, err := stale.Step(ctx, 100)
			if !errors.Is(err, store.ErrFenced) || n != 0 {
				t.Fatalf("stale clusterer: %d, %v; want ErrFenced", n, err)
			}
			if err := stale.Run(ctx, time.Hour); !errors.Is(err, store.ErrFenced) {
				t.Fatalf("stale clusterer's Run: %v, want it to stop with ErrFenced", err)
			}
			if got := storyOf(t, st, "s"); got != 0 {
				t.Fatalf("unrelated article put in story %d (the bridge story is %d)", got, bridge)
			}

			fresh, err := NewGrouper(ctx, st, nil, clock)
			if err != nil {
				t.Fatal(err)
			}
			fresh.Epoch = current.Epoch
			if n, err := fresh.Step(ctx, 100); err != nil || n != 1 {
				t.Fatalf("restored clusterer: %d, %v", n, err)
			}
			if got := storyOf(t, st, "s"); got == 0 || got == bridge || got == storyOf(t, st, "b") {
				t.Fatalf("article in story %d, want a new story of its own", got)
			}
		})
	}
}
