package storetest

import (
	"context"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// Planted words and the share of articles that carry them, so benchmark
// queries hit a known fraction of the corpus.
var planted = []struct {
	word  string
	share float64
}{{"minister", 0.40}, {"election", 0.10}, {"parliament", 0.05}, {"volcano", 0.005}}

// vocabulary makes n pseudo-words from syllables; index 0 is the most
// frequent under the Zipf draw below, as in real text.
func vocabulary(n int) []string {
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da", "fi", "go", "hu", "ja", "ze", "pa"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for x := i + 17; x > 0; x /= len(syl) {
			b.WriteString(syl[x%len(syl)])
		}
		out[i] = b.String()
	}
	return out
}

// Corpus adds n synthetic articles (about 300 words each, 20 sources in 8
// countries, published over 30 days before end, five articles per story)
// to s. The same seed gives the same corpus.
func Corpus(ctx context.Context, s store.Store, n int, seed uint64, end time.Time) error {
	vocab := vocabulary(20000)
	var srcs []model.Source
	for i := range 20 {
		src, err := s.UpsertSource(ctx, model.Source{Name: fmt.Sprintf("Outlet %02d", i), Country: []string{"US", "GB", "FR", "DE", "IN", "BR", "JP", "ZA"}[i%8], Language: "en"})
		if err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		srcs = append(srcs, src)
	}
	const workers = 4
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			zipf := rand.NewZipf(r, 1.1, 1, uint64(len(vocab)-1))
			words := func(k int) string {
				var b strings.Builder
				for j := range k {
					if j > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(vocab[zipf.Uint64()])
				}
				return b.String()
			}
			for i := w; i < n; i += workers {
				title, text := words(10), words(300)
				for _, p := range planted {
					if r.Float64() < p.share {
						if r.IntN(2) == 0 {
							title += " " + p.word
						} else {
							text += " " + p.word
						}
					}
				}
				a := model.Article{SourceID: srcs[i%len(srcs)].ID, URL: fmt.Sprintf("https://corpus.example/%d", i),
					GUID: strconv.Itoa(i), Title: title, Text: text, Language: "en",
					Published: end.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))}
				a.Fetched = a.Published.Add(time.Minute)
				if _, err := s.InsertArticle(ctx, &a); err != nil {
					errs <- fmt.Errorf("corpus: %w", err)
					return
				}
				if _, err := s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(1 + i/5), Headline: title}); err != nil {
					errs <- fmt.Errorf("corpus: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// BenchArticles is the corpus size for benchmarks: $DATELINE_BENCH_ARTICLES,
// default 20000.
func BenchArticles() int {
	if n, err := strconv.Atoi(os.Getenv("DATELINE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// BenchSearch measures Search and SearchStories on a store already holding
// a Corpus: a rare word (0.5% of articles), common ones (10%, 40%), two
// words together and a miss.
func BenchSearch(b *testing.B, s store.Store) {
	ctx := context.Background()
	for _, q := range []string{"volcano", "election", "minister", "election parliament", "nosuchword"} {
		b.Run("articles/"+strings.ReplaceAll(q, " ", "+"), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, q, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, q := range []string{"volcano", "election", "minister"} {
		b.Run("stories/"+q, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.SearchStories(ctx, q, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// SearchLatency reports p50/p99 of Search (and, for "stories:" queries,
// SearchStories) per query on a store already holding a large corpus (the
// size targets are about tail latency).
func SearchLatency(b *testing.B, s store.Store) {
	ctx := context.Background()
	queries := []string{"government", "minister election", "election", "parliament", "volcano", "government volcano", "nosuchword",
		"stories:government", "stories:volcano"}
	for _, q := range queries {
		b.Run(strings.ReplaceAll(q, " ", "+"), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			words, stories := strings.CutPrefix(q, "stories:")
			for b.Loop() {
				t0 := time.Now()
				var err error
				if stories {
					_, err = s.SearchStories(ctx, words, 20)
				} else {
					_, err = s.Search(ctx, words, 20)
				}
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BulkArticle is one article of the bulk search corpus.
type BulkArticle struct {
	URL, GUID, Title, Text string
	Time                   int64 // published and fetched, unix microseconds
	Story                  int64
}

// BulkSize is the bulk corpus size: $DATELINE_BENCH_ARTICLES, default 1,000,000.
func BulkSize() int {
	if n, err := strconv.Atoi(os.Getenv("DATELINE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BulkCorpus yields n articles of a 10-word title and a 200-word text drawn
// from a skewed 20,000-word vocabulary (word rank log-uniform, so
// "government" at rank 0 is in nearly every article, "election" in about
// half, "parliament" in about 5%, "volcano" in about 1%), published 30 s
// apart, 5 to a story. Both backends' latency benchmarks load exactly this
// stream, in bulk, bypassing the store API (an hour at this size).
func BulkCorpus(n int) iter.Seq[BulkArticle] {
	return func(yield func(BulkArticle) bool) {
		vocab := make([]string, 20000)
		for i := range vocab {
			vocab[i] = fmt.Sprintf("w%x", i*2654435761%1000003)
		}
		vocab[0], vocab[1], vocab[29], vocab[399], vocab[2999] = "government", "minister", "election", "parliament", "volcano"
		r := rand.New(rand.NewPCG(7, 11))
		var sb strings.Builder
		words := func(k int) string {
			sb.Reset()
			for j := range k {
				if j > 0 {
					sb.WriteByte(' ')
				}
				sb.WriteString(vocab[int(math.Exp(r.Float64()*math.Log(float64(len(vocab)))))-1])
			}
			return sb.String()
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
		for i := range n {
			a := BulkArticle{URL: fmt.Sprintf("https://bulk.example/%d", i), GUID: fmt.Sprint(i),
				Title: words(10), Text: words(200), Time: base + int64(i)*30_000_000, Story: int64(1 + i/5)}
			if !yield(a) {
				return
			}
		}
	}
}

// BulkStories is the statement both backends run after loading a bulk
// corpus: one story per story id, from its articles.
const BulkStories = `INSERT INTO stories (id, headline, first_seen, updated, articles, outlets, countries, storyline_id)
SELECT story_id, min(title), min(published), max(published), count(*), 1, 1, story_id FROM articles
WHERE source_id = $1 GROUP BY story_id`
