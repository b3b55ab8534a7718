package postgres

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// BenchmarkSearchLatency reports p50/p99 of Search and SearchStories on the
// database named by DATELINE_BENCH_SEARCH_DSN.
// When that database has no articles it is filled in bulk first:
// DATELINE_BENCH_ARTICLES articles (default 1,000,000) generated exactly as
// the SQLite benchmark's bulkCorpus does (same vocabulary, same random
// stream), streamed with COPY while the secondary indexes are dropped, then
// indexed and vacuumed (-v shows how long that took). The database is
// kept, so later runs only measure:
//
//	createdb -h 127.0.0.1 -U root bench1m
//	DATELINE_BENCH_SEARCH_DSN=postgres://root@127.0.0.1:5432/bench1m?sslmode=disable \
//	  go test -run '^$' -bench SearchLatency -benchtime 100x -cpu 1 -timeout 60m ./internal/store/postgres
func BenchmarkSearchLatency(b *testing.B) {
	dsn := os.Getenv("DATELINE_BENCH_SEARCH_DSN")
	if dsn == "" {
		b.Skip("DATELINE_BENCH_SEARCH_DSN not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var some bool
	if err := s.W.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles)`).Scan(&some); err != nil {
		b.Fatal(err)
	}
	if !some {
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

// bulkCorpus adds n articles of a 10-word title and 200-word text drawn
// from a skewed 20,000-word vocabulary (word rank log-uniform, so
// "government" at rank 0 is in nearly every article, "election" in about
// 30%, "volcano" in about 1%), published 30 s apart, 5 to a story, plus
// those stories. It bypasses the store API (an hour at this size): one
// transaction drops the secondary indexes, COPYs the rows (Go generates
// words while PostgreSQL builds the tsvectors), recreates the indexes from
// their saved definitions; VACUUM ANALYZE then leaves the table as a long
// running installation would have it.
func bulkCorpus(ctx context.Context, s *Store, n int) error {
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", i*2654435761%1000003)
	}
	vocab[0], vocab[1], vocab[29], vocab[399], vocab[2999] = "government", "minister", "election", "parliament", "volcano"
	r := rand.New(rand.NewPCG(7, 11))
	word := func() string { return vocab[int(math.Exp(r.Float64()*math.Log(float64(len(vocab)))))-1] }
	var sb strings.Builder
	words := func(k int) string {
		sb.Reset()
		for j := range k {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(word())
		}
		return sb.String()
	}
	conn, err := s.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk corpus: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '1GB'`); err != nil {
			return err
		}
		var src int64
		if err := tx.QueryRow(ctx, `INSERT INTO sources (name, country, language) VALUES ('Bulk', 'US', 'en') RETURNING id`).Scan(&src); err != nil {
			return fmt.Errorf("add source: %w", err)
		}
		// Indexes that back no constraint are rebuilt after the load (much
		// faster than maintaining them row by row, the GIN index above all).
		rows, err := tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid = 'articles'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`)
		if err != nil {
			return fmt.Errorf("list indexes: %w", err)
		}
		var names, defs []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				return err
			}
			names, defs = append(names, name), append(defs, def)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list indexes: %w", err)
		}
		for _, name := range names {
			if _, err := tx.Exec(ctx, `DROP INDEX `+name); err != nil {
				return fmt.Errorf("drop index %s: %w", name, err)
			}
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
		i := 0
		row := make([]any, 9)
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"articles"},
			[]string{"source_id", "url", "guid", "title", "text", "published", "fetched", "language", "story_id"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				t := base + int64(i)*30_000_000
				row[0], row[1], row[2] = src, fmt.Sprintf("https://bulk.example/%d", i), fmt.Sprint(i)
				row[3] = words(10)
				row[4] = words(200)
				row[5], row[6], row[7], row[8] = t, t, "en", int64(1+i/5)
				i++
				return row, nil
			}))
		if err != nil {
			return fmt.Errorf("copy articles: %w", err)
		}
		for k, def := range defs {
			if _, err := tx.Exec(ctx, def); err != nil {
				return fmt.Errorf("create index %s: %w", names[k], err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO stories (id, headline, first_seen, updated, articles, outlets, countries)
SELECT story_id, min(title), min(published), max(published), count(*), 1, 1 FROM articles
WHERE source_id = $1 GROUP BY story_id`, src); err != nil {
			return fmt.Errorf("add stories: %w", err)
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return fmt.Errorf("bulk corpus: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM (ANALYZE) articles, stories`); err != nil {
		return fmt.Errorf("bulk corpus: vacuum: %w", err)
	}
	return nil
}
