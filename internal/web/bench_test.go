package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

const benchSources = 300

// benchArticles is how many articles the benchmarks run against;
// DATELINE_BENCH_ARTICLES overrides it for a quick look.
var benchArticles = func() int {
	if n, err := strconv.Atoi(os.Getenv("DATELINE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}()

var (
	benchOnce  sync.Once
	benchStore store.Store
	benchDir   string
	benchErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// words for generated text; the content only needs realistic sizes.
var benchWords = strings.Fields(`the government said on monday that talks with union leaders would resume
after a week of strikes closed ports and rail lines across the country while officials warned that
prices could rise further minister spokesperson economy storm election court police hospital council
market shares fell percent billion million report according to agency statement people city region`)

func benchText(r *rand.Rand, words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			if i%40 == 0 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(benchWords[r.IntN(len(benchWords))])
	}
	b.WriteByte('.')
	return b.String()
}

// benchDB builds, once per test binary, a SQLite store holding
// benchArticles articles from benchSources outlets in stories of 1 to 12
// articles, through the ordinary store API.
func benchDB(b *testing.B) store.Store {
	benchOnce.Do(func() {
		start := time.Now()
		ctx := context.Background()
		// DATELINE_BENCH_DB keeps the generated database at that path and
		// reuses it on later runs, e.g. to load-test `dateline serve` on it.
		path := os.Getenv("DATELINE_BENCH_DB")
		_, statErr := os.Stat(path)
		reuse := path != "" && statErr == nil
		if path == "" {
			benchDir, benchErr = os.MkdirTemp("", "dateline-web-bench-")
			if benchErr != nil {
				return
			}
			path = filepath.Join(benchDir, "bench.db")
		}
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			benchErr = err
			return
		}
		benchStore = st
		if reuse {
			return
		}
		benchErr = fillBench(ctx, st)
		b.Logf("built bench store (%d articles) in %v", benchArticles, time.Since(start).Round(time.Second))
	})
	if benchErr != nil {
		b.Fatalf("bench store: %v", benchErr)
	}
	return benchStore
}

func fillBench(ctx context.Context, st store.Store) error {
	r := rand.New(rand.NewPCG(1, 2))
	countries := []string{"US", "GB", "FR", "DE", "JP", "IN", "BR", "ZA", "AU", "CA"}
	srcs := make([]model.Source, benchSources)
	feeds := make([]model.Feed, benchSources)
	for i := range srcs {
		s, err := st.UpsertSource(ctx, model.Source{Name: fmt.Sprintf("Outlet %03d", i),
			Country: countries[i%len(countries)], Language: "en", HomeURL: fmt.Sprintf("https://outlet%d.example", i)})
		if err != nil {
			return err
		}
		f, _, err := st.AddFeed(ctx, model.Feed{SourceID: s.ID, URL: fmt.Sprintf("https://outlet%d.example/rss", i)})
		if err != nil {
			return err
		}
		srcs[i], feeds[i] = s, f
	}
	base := time.Now().Add(-30 * 24 * time.Hour)
	var story int64
	left := 0
	for i := range benchArticles {
		if left == 0 {
			story++
			left = 1 + r.IntN(12)
		}
		left--
		k := r.IntN(benchSources)
		a := model.Article{SourceID: srcs[k].ID, FeedID: feeds[k].ID,
			URL:       fmt.Sprintf("https://outlet%d.example/news/%d", k, i),
			GUID:      fmt.Sprintf("g%d", i),
			Title:     strings.ToUpper(benchText(r, 1)[:1]) + benchText(r, 9),
			Published: base.Add(time.Duration(i) * 25 * time.Second), Fetched: base.Add(time.Duration(i) * 26 * time.Second),
			Text: benchText(r, 180), Image: fmt.Sprintf("https://outlet%d.example/img/%d.jpg", k, i)}
		if _, err := st.InsertArticle(ctx, &a); err != nil {
			return err
		}
		s, err := st.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: story, Headline: a.Title, Reason: "bench"})
		if err != nil {
			return err
		}
		if left == 0 {
			// Newer, wider stories rank higher, as the real ranking does.
			score := float64(s.Outlets) + float64(s.Updated.Unix()-base.Unix())/86400
			if err := st.SetStoryScore(ctx, story, score); err != nil {
				return err
			}
		}
	}
	return nil
}

// benchGet serves path b.N times and reports the p50 and p99 latency.
func benchGet(b *testing.B, h http.Handler, path string, wantStatus int) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		lat = append(lat, time.Since(t0))
		if rec.Code != wantStatus {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}

// The Uncached benchmarks turn the few-second response cache off so every
// request reads the store and renders; the plain ones run as deployed.

func BenchmarkFrontPage(b *testing.B) {
	h := New(benchDB(b), Options{})
	benchGet(b, h, "/", 200)
}

func BenchmarkFrontPageUncached(b *testing.B) {
	h := New(benchDB(b), Options{CacheTTL: -1})
	benchGet(b, h, "/", 200)
}

// An edition reads the heads of editionPool stories, not frontPageSize.
func BenchmarkFrontPageEditionUncached(b *testing.B) {
	h := New(benchDB(b), Options{CacheTTL: -1})
	benchGet(b, h, "/?country=JP", 200)
}

func BenchmarkArticlesAPI(b *testing.B) {
	h := New(benchDB(b), Options{})
	benchGet(b, h, "/api/v1/articles?limit=50", 200)
}

func BenchmarkArticlesAPIUncached(b *testing.B) {
	h := New(benchDB(b), Options{CacheTTL: -1})
	benchGet(b, h, "/api/v1/articles?limit=50", 200)
}

func BenchmarkStoriesAPIUncached(b *testing.B) {
	h := New(benchDB(b), Options{CacheTTL: -1})
	benchGet(b, h, "/api/v1/stories", 200)
}

// BenchmarkArticlesAPIDeep pages far back: keyset cursors keep it as fast as
// the first page.
func BenchmarkArticlesAPIDeep(b *testing.B) {
	st := benchDB(b)
	cursor := ""
	for range 1000 {
		_, next, err := st.Articles(context.Background(), store.ArticleQuery{Limit: 50, Cursor: cursor})
		if err != nil || next == "" {
			b.Fatalf("paging: %v", err)
		}
		cursor = next
	}
	h := New(st, Options{CacheTTL: -1})
	benchGet(b, h, "/api/v1/articles?limit=50&cursor="+cursor, 200)
}

// BenchmarkStoryPage includes insight: computed on the first request, then
// served from the in-memory cache.
func BenchmarkStoryPage(b *testing.B) {
	st := benchDB(b)
	stories, _, err := st.Stories(context.Background(), store.StoryQuery{Limit: 1})
	if err != nil || len(stories) == 0 {
		b.Fatalf("top story: %v", err)
	}
	h := New(st, Options{})
	benchGet(b, h, fmt.Sprintf("/story/%d", stories[0].ID), 200)
}

// BenchmarkFrontPageParallel serves the uncached front page from every P at once.
func BenchmarkFrontPageParallel(b *testing.B) {
	h := New(benchDB(b), Options{CacheTTL: -1})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			if rec.Code != 200 {
				b.Errorf("front page: %d", rec.Code)
				return
			}
		}
	})
}

// BenchmarkStoryInsight is the cost of one insight computation, paid once
// per story version (then cached), for a 10-article story and for a
// 1,000-article one (read as insightInput picks it).
func BenchmarkStoryInsight(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			arts := make([]model.Article, n)
			t0 := time.Now()
			for i := range arts {
				arts[i] = model.Article{ID: int64(i + 1), Title: benchText(r, 9), Text: wireText + "\n" + benchText(r, 300),
					Source: model.Source{Name: "Outlet " + strconv.Itoa(i%50)}, Published: t0.Add(time.Duration(i) * time.Second)}
			}
			for b.Loop() {
				if _, err := computeInsight(context.Background(), model.Story{ID: 1, Updated: t0}, arts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
