package sqlite

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearchLatency reports p50/p99 of Search on a large database at
// DATELINE_BENCH_SEARCH_DB. When the file does not exist it is generated in
// bulk first (DATELINE_BENCH_ARTICLES articles, default 1,000,000, of 200
// words drawn from a skewed 20,000-word vocabulary in which "government" is
// in nearly every article and "volcano" in about 1%), bypassing the per-article
// store API that would take an hour at this size.
func BenchmarkSearchLatency(b *testing.B) {
	path := os.Getenv("DATELINE_BENCH_SEARCH_DB")
	if path == "" {
		b.Skip("DATELINE_BENCH_SEARCH_DB not set")
	}
	ctx := context.Background()
	_, statErr := os.Stat(path)
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if statErr != nil {
		n := 1_000_000
		if v, err := fmt.Sscan(os.Getenv("DATELINE_BENCH_ARTICLES"), &n); v != 1 || err != nil {
			n = 1_000_000
		}
		start := time.Now()
		if err := bulkCorpus(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d articles in %v", n, time.Since(start).Round(time.Second))
	}
	storetest.SearchLatency(b, s)
}

func bulkCorpus(ctx context.Context, s *Store, n int) error {
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", i*2654435761%1000003)
	}
	vocab[0], vocab[1], vocab[29], vocab[399], vocab[2999] = "government", "minister", "election", "parliament", "volcano"
	r := rand.New(rand.NewPCG(7, 11))
	word := func() string { return vocab[int(math.Exp(r.Float64()*math.Log(float64(len(vocab)))))-1] }
	words := func(k int) string {
		var sb strings.Builder
		for j := range k {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(word())
		}
		return sb.String()
	}
	db := s.DB()
	if _, err := db.ExecContext(ctx, `INSERT INTO sources (name, country, language) VALUES ('Bulk', 'US', 'en')`); err != nil {
		return err
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for lo := 0; lo < n; lo += 50_000 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO articles (source_id, url, guid, title, text, published, fetched, language, story_id)
VALUES ((SELECT id FROM sources WHERE name = 'Bulk'), ?, ?, ?, ?, ?, ?, 'en', ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := lo; i < min(n, lo+50_000); i++ {
			t := base + int64(i)*30_000_000
			if _, err := st.ExecContext(ctx, fmt.Sprintf("https://bulk.example/%d", i), fmt.Sprint(i), words(10), words(200), t, t, 1+i/5); err != nil {
				tx.Rollback()
				return err
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
