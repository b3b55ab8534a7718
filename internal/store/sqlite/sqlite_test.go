package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/storetest"
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
