// Package sqlstore is the SQL shared by Dateline's storage backends. The
// sqlite and postgres packages supply the connections, a Dialect for the few
// places where the two differ, their migrations, search and leader election.
//
// Both backends use the same column types as far as Go sees them: ids and
// counters are 64-bit integers, times are integer unix microseconds (UTC, 0 =
// unknown) and blobs are bytes, so queries, scans and the copy tool are shared.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/store"
)

// Dialect is what differs between backends.
type Dialect struct {
	Name string
	// Numbered placeholders ($1, $2, …) instead of "?".
	Numbered bool
	// LockSkip is appended to the SELECT that picks due feeds so concurrent
	// leasers skip each other's rows (" FOR UPDATE SKIP LOCKED" on
	// PostgreSQL; SQLite serializes writers instead).
	LockSkip string
}

// Store runs the shared queries. W is the pool used for writes and for reads
// that must see the latest write; R serves plain reads (on SQLite a separate
// pool so readers never queue behind the single writer connection).
type Store struct {
	W, R *sql.DB
	D    Dialect
	// Search and leader election are backend specific; the backend sets them.
}

// Rebind rewrites "?" placeholders for the dialect. Queries in this module
// never contain "?" inside string literals.
func (db *Store) Rebind(q string) string {
	if !db.D.Numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what *sql.DB, *sql.Tx and *sql.Conn have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, db.Rebind(query), args...)
}

func (db *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, db.Rebind(query), args...)
}

func (db *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, db.Rebind(query), args...)
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (db *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Micros converts a time for storage: unix microseconds, 0 for the zero time.
func Micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// Time converts a stored value back; 0 is the zero time.
func Time(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// notFound maps sql.ErrNoRows to store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 200:
		return 200
	}
	return n
}

// Dialect returns the backend's dialect (its Name is "sqlite" or "postgres").
func (db *Store) Dialect() Dialect { return db.D }
