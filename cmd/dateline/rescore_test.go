package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/open"
	"github.com/dateline-news/dateline/internal/story"
)

// TestRescore: `dateline rescore` stores story.Rank of every live story's
// aggregates, replacing scores a previous formula left behind.
func TestRescore(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "dateline.db")
	st, err := open.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	src, err := st.UpsertSource(ctx, model.Source{Name: "Rescore Times", Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"one", "two", "three"} {
		a := model.Article{SourceID: src.ID, URL: "https://rescore.example/" + title, Title: title,
			Published: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)}
		if _, err := st.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(1 + i%2)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []int64{1, 2} {
		if err := st.SetStoryScore(ctx, id, -42); err != nil { // an old formula's score
			t.Fatal(err)
		}
	}
	st.Close()

	var out strings.Builder
	if err := run(ctx, []string{"rescore", "--database", db}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "rescored 2 stories" {
		t.Errorf("output %q", got)
	}
	st, err = open.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []int64{1, 2} {
		s, err := st.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := story.Rank(s.Outlets, s.Countries, s.Articles, s.FirstSeen, s.Updated); s.Score != want {
			t.Errorf("story %d score %v, want %v", id, s.Score, want)
		}
	}
}
