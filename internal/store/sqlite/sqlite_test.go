package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/dateline-news/dateline/internal/store/sqlstore"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/storetest"
	"github.com/dateline-news/dateline/internal/store/storetest/accountstest"
)

func openTemp(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openTemp)
	t.Run("Accounts", func(t *testing.T) { accountstest.Run(t, openTemp) })
}

func TestSearchFoldsDiacritics(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	src, err := s.UpsertSource(ctx, model.Source{Name: "Le Monde", Country: "FR"})
	if err != nil {
		t.Fatal(err)
	}
	a := model.Article{SourceID: src.ID, URL: "https://lemonde.example/1", Title: "Crème brûlée au café", Text: "Élections à Zürich"}
	if _, err := s.InsertArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"creme brulee", "CAFÉ", "elections zurich", "Zürich"} {
		got, err := s.Search(ctx, q, 5)
		if err != nil || len(got) != 1 {
			t.Errorf("search %q: %d results, %v", q, len(got), err)
		}
	}
}

func TestSearchRanksNewestMatchesOnly(t *testing.T) {
	defer func(n int) { maxRanked = n }(maxRanked)
	storetest.SearchRanksNewestMatchesOnly(t, openTemp(t), func(n int) { maxRanked = n })
}

// Words in more articles than bm25MaxDocs are required but not weighed by
// bm25: when all are that common, a title holding them all ranks first;
// when one is rarer, it alone is weighed and the common one still filters.
func TestSearchCommonWords(t *testing.T) {
	defer func(n int, d int64) { maxRanked, bm25MaxDocs = n, d }(maxRanked, bm25MaxDocs)
	maxRanked, bm25MaxDocs = 3, 1
	ctx := context.Background()
	s := openTemp(t)
	src, err := s.UpsertSource(ctx, model.Source{Name: "Port News"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var ids []int64
	for i, a := range []model.Article{
		{Title: "Harbour strike", Text: "oldest, outside the newest three"},
		{Title: "Harbour strike ends", Text: "talks"},
		{Title: "Weather", Text: "harbour strike harbour strike harbour"},
		{Title: "News", Text: "harbour strike"},
		{Title: "Weather report", Text: "sun"},
	} {
		a.SourceID, a.URL, a.Published = src.ID, fmt.Sprintf("https://port.example/%d", i), now
		if _, err := s.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"harbour strike", []int64{ids[1], ids[3], ids[2]}}, // title match first, then newest
		{"strike", []int64{ids[1], ids[3], ids[2]}},
		{"harbour weather", []int64{ids[2]}}, // "weather" weighed, "harbour" required
		{"weather", []int64{ids[4], ids[2]}}, // rare: plain bm25 (title ×4)
	} {
		got, err := s.Search(ctx, tc.q, 10)
		if err != nil {
			t.Fatalf("search %q: %v", tc.q, err)
		}
		var gotIDs []int64
		for _, a := range got {
			gotIDs = append(gotIDs, a.ID)
		}
		if !slices.Equal(gotIDs, tc.want) {
			t.Errorf("search %q = %v, want %v", tc.q, gotIDs, tc.want)
		}
	}
}

// TestMigratesStoriesToStorylines: a database written before storylines
// existed opens with each story its own storyline.
func TestMigratesStoriesToStorylines(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	identity := func(q string) string { return q }
	if err := sqlstore.ApplyMigrations(ctx, tx, storetest.MigrationsBefore(t, sub, storetest.StorylineMarker), identity); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	storetest.InsertOldStory(t, db, identity)
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckMigratedStory(t, s)
}
