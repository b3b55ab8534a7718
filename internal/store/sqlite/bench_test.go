package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearch searches a synthetic corpus of $DATELINE_BENCH_ARTICLES
// (default 20000) articles; building it is not timed.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := storetest.BenchArticles()
	start := time.Now()
	if err := storetest.Corpus(ctx, s, n, 1, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.Logf("corpus of %d articles built in %v", n, time.Since(start).Round(time.Millisecond))
	b.Run("newest2000", func(b *testing.B) { storetest.BenchSearch(b, s) })
	// The same queries ranking every match, to show what the bound saves.
	defer func(n int) { maxRanked = n }(maxRanked)
	maxRanked = 1 << 30
	b.Run("all", func(b *testing.B) { storetest.BenchSearch(b, s) })
}

// BenchmarkIngest stores one ~300-word article and assigns it to a story
// (five articles per story), the write path of the pipeline.
// BenchmarkIngest inserts and assigns one article per op, every fifth one
// creating a story (and its storyline): unfenced, and as the clustering leader does it (its
// epoch checked, new ids checked not to exist).
func BenchmarkIngest(b *testing.B) {
	for _, fenced := range []bool{false, true} {
		name := "unfenced"
		if fenced {
			name = "fenced"
		}
		b.Run(name, func(b *testing.B) { benchIngest(b, fenced) })
	}
}

func benchIngest(b *testing.B, fenced bool) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var epoch int64
	if fenced {
		l, ok, err := s.TryLeader(ctx, store.ClusterLeader)
		if err != nil || !ok {
			b.Fatalf("lead: %v %v", ok, err)
		}
		defer l.Release()
		epoch = l.Epoch
	}
	src, err := s.UpsertSource(ctx, model.Source{Name: "Bench", Country: "US"})
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("the quick brown fox jumps over the lazy dog while markets rally on news ", 25)
	i := 0
	for b.Loop() {
		a := model.Article{SourceID: src.ID, URL: fmt.Sprintf("https://bench.example/%d", i), GUID: strconv.Itoa(i),
			Title: "Bench article " + strconv.Itoa(i), Text: text, HTML: "<p>" + text + "</p>", Published: time.Now()}
		if _, err := s.InsertArticle(ctx, &a); err != nil {
			b.Fatal(err)
		}
		as := store.Assignment{ArticleID: a.ID, Story: int64(1 + i/5), Storyline: int64(1 + i/5)}
		if fenced {
			as.Epoch, as.New, as.NewStoryline = epoch, i%5 == 0, i%5 == 0
		}
		if _, err := s.Assign(ctx, as); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkStoryListing: the front page's listing, one event per storyline
// or not, over $DATELINE_BENCH_ARTICLES stories.
func BenchmarkStoryListing(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchStoryListing(b, s, s.W, func(q string) string { return q }, storetest.BenchArticles())
}
