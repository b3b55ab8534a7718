package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

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
	maxRanked = 3
	ctx := context.Background()
	s := openTemp(t)
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
	maxRanked = 100
	if got, err := s.Search(ctx, "harbour", 10); err != nil || len(got) != 6 || got[0].ID != ids[0] {
		t.Fatalf("unbounded: %d results, %v", len(got), err)
	}
}
