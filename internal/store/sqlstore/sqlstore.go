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
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/store"
)

// Dialect is what differs between backends.
type Dialect struct {
	Name string
	// Numbered placeholders ($1, $2, …) instead of "?".
	Numbered bool
	// CacheStmts keeps prepared statements for reuse. Worth it on SQLite,
	// where parsing is a large share of a small query's cost; pgx already
	// caches statements per connection.
	CacheStmts bool
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

	mu      sync.Mutex
	stmts   map[stmtKey]*sql.Stmt
	pending map[string]bool // seen in a transaction, prepare after it
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// maxStmts bounds the statement cache; queries are a fixed set plus a few
// variants (filters, IN lists), so it is never reached in practice.
const maxStmts = 512

// Rebind rewrites "?" placeholders for the dialect. Queries in this module
// never contain "?" inside string literals.
func (db *Store) Rebind(q string) string {
	if !db.D.Numbered {
		return q
	}
	return Numbered(q)
}

// Numbered rewrites ? placeholders as $1, $2… (PostgreSQL's form). The query
// must not contain "?" inside string literals.
func Numbered(q string) string {
	if !strings.Contains(q, "?") {
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

// prepared returns the cached statement for query on pool, preparing it on
// first use; nil when caching is off or full.
func (db *Store) prepared(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	if !db.D.CacheStmts {
		return nil, nil
	}
	k := stmtKey{pool, query}
	db.mu.Lock()
	st, ok := db.stmts[k]
	full := len(db.stmts) >= maxStmts
	db.mu.Unlock()
	if ok || full {
		return st, nil
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if old, ok := db.stmts[k]; ok { // lost a race: keep one
		st.Close()
		return old, nil
	}
	if db.stmts == nil {
		db.stmts = map[stmtKey]*sql.Stmt{}
	}
	db.stmts[k] = st
	return st, nil
}

// stmtFor returns a cached statement usable on q (nil: run the text).
func (db *Store) stmtFor(ctx context.Context, q querier, query string) (*sql.Stmt, error) {
	switch q := q.(type) {
	case *sql.DB:
		return db.prepared(ctx, q, query)
	case *sql.Tx:
		// Preparing on the write pool now would wait for the connection
		// this transaction holds (SQLite's only one), so a statement not
		// cached yet runs as text and is prepared when the transaction ends.
		if !db.D.CacheStmts {
			return nil, nil
		}
		db.mu.Lock()
		st, ok := db.stmts[stmtKey{db.W, query}]
		if !ok {
			if db.pending == nil {
				db.pending = map[string]bool{}
			}
			db.pending[query] = true
		}
		db.mu.Unlock()
		if !ok {
			return nil, nil
		}
		return q.StmtContext(ctx, st), nil
	}
	return nil, nil
}

// preparePending caches the statements transactions ran as text.
func (db *Store) preparePending(ctx context.Context) {
	db.mu.Lock()
	var qs []string
	for q := range db.pending {
		qs = append(qs, q)
	}
	clear(db.pending)
	db.mu.Unlock()
	for _, q := range qs {
		db.prepared(ctx, db.W, q) // on failure the text keeps working
	}
}

func (db *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	query = db.Rebind(query)
	st, err := db.stmtFor(ctx, q, query)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.ExecContext(ctx, query, args...)
}

func (db *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	query = db.Rebind(query)
	st, err := db.stmtFor(ctx, q, query)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, query, args...)
}

// rowErr carries a preparation error to Scan, as *sql.Row cannot.
type rowErr struct{ err error }

func (r rowErr) Scan(...any) error { return r.err }

func (db *Store) queryRow(ctx context.Context, q querier, query string, args ...any) interface{ Scan(...any) error } {
	query = db.Rebind(query)
	st, err := db.stmtFor(ctx, q, query)
	if err != nil {
		return rowErr{err}
	}
	if st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, query, args...)
}

// ReadQuery runs a query on the read pool (through the statement cache).
func (db *Store) ReadQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.query(ctx, db.R, query, args...)
}

// CloseStmts closes the cached statements; backends call it before
// closing their pools.
func (db *Store) CloseStmts() {
	db.mu.Lock()
	defer db.mu.Unlock()
	for k, st := range db.stmts {
		st.Close()
		delete(db.stmts, k)
	}
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (db *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer db.preparePending(ctx)
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
