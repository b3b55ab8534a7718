package postgres

import (
	"context"
	"fmt"
	"iter"
	"os"
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
		n := storetest.BulkSize()
		start := time.Now()
		if err := bulkCorpus(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d articles in %v", n, time.Since(start).Round(time.Second))
	}
	storetest.SearchLatency(b, s)
}

// bulkCorpus adds storetest.BulkCorpus(n) and its stories. It bypasses the
// store API: one transaction drops the secondary indexes, COPYs the rows (Go
// generates words while PostgreSQL builds the tsvectors), recreates the
// indexes from their saved definitions; VACUUM ANALYZE then leaves the table
// as a long running installation would have it.
func bulkCorpus(ctx context.Context, s *Store, n int) error {
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
		next, stop := iter.Pull(storetest.BulkCorpus(n))
		defer stop()
		row := make([]any, 9)
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"articles"},
			[]string{"source_id", "url", "guid", "title", "text", "published", "fetched", "language", "story_id"},
			pgx.CopyFromFunc(func() ([]any, error) {
				a, ok := next()
				if !ok {
					return nil, nil
				}
				row[0], row[1], row[2], row[3], row[4] = src, a.URL, a.GUID, a.Title, a.Text
				row[5], row[6], row[7], row[8] = a.Time, a.Time, "en", a.Story
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
		if _, err := tx.Exec(ctx, storetest.BulkStories, src); err != nil {
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
