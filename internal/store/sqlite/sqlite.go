// Package sqlite stores Dateline's data in one SQLite file (the default),
// through the pure-Go modernc.org/sqlite driver.
//
// The file runs in WAL mode so readers never block the writer. Writes go
// through a pool of exactly one connection whose transactions begin
// IMMEDIATE, so writers inside this process queue in Go instead of failing
// with SQLITE_BUSY, and a writer in another process (a CLI command next to
// a running server) waits up to busy_timeout. Reads use a separate pool of
// query-only connections. synchronous=NORMAL in WAL mode keeps every
// committed transaction across a process crash (kill -9); only a power loss
// can drop the last commits, never corrupt the file.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// BusyTimeoutMS is how long a write waits for another process's write.
const BusyTimeoutMS = 10000

// Store is the SQLite backend; it implements store.Store.
type Store struct {
	*sqlstore.Store

	path string // absolute, for the leaders' lock files

	mu   sync.Mutex
	held map[uint64]func() // Release of each leadership held, for Close
	next uint64
}

// Open opens (creating it and its directory if needed) the database file at
// path and applies pending migrations. A "sqlite:" or "file:" prefix is
// ignored; path must be a file (not ":memory:") and must not contain "?".
func Open(ctx context.Context, path string) (*Store, error) {
	path = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "sqlite:"), "file:")
	if path == "" || strings.Contains(path, "?") || strings.Contains(path, ":memory:") {
		return nil, fmt.Errorf("open sqlite: unsupported path %q", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	common := fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)", BusyTimeoutMS)
	w, err := sql.Open("sqlite", path+common+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// The reader pool opens after the writer has put the file in WAL mode.
	r, err := sql.Open("sqlite", path+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Enough readers that database/sql rarely makes a query wait: its pool
	// hands freed connections to a random waiter, which is fair on average
	// but not in the tail (the web layer queues requests in order instead).
	n := max(8, 6*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &Store{
		Store: &sqlstore.Store{W: w, R: r, D: sqlstore.Dialect{Name: "sqlite", CacheStmts: true}},
		path:  abs,
		held:  map[uint64]func(){},
	}, nil
}

// migrate applies the embedded migrations in one BEGIN IMMEDIATE
// transaction, which makes a second process starting at the same time wait.
func migrate(ctx context.Context, w *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	if err := sqlstore.ApplyMigrations(ctx, tx, sub, func(q string) string { return q }); err != nil {
		tx.Rollback()
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// DB returns the write handle (one connection; transactions begin
// IMMEDIATE). Hold its transactions briefly: every other write waits.
func (s *Store) DB() *sql.DB { return s.W }

// ReadDB returns the query-only reader pool.
func (s *Store) ReadDB() *sql.DB { return s.R }

// SQL is the database for packages that keep tables in it.
func (s *Store) SQL() store.SQLHandle {
	return store.SQLHandle{DB: s.W, ReadDB: s.R, Dialect: store.DialectSQLite}
}

// Close gives up the leaderships still held and closes both pools.
func (s *Store) Close() error {
	s.mu.Lock()
	var rels []func()
	for _, r := range s.held {
		rels = append(rels, r)
	}
	s.mu.Unlock()
	for _, r := range rels {
		r()
	}
	s.CloseStmts()
	return errors.Join(s.R.Close(), s.W.Close())
}

// TryLeader takes an exclusive lock on the file "<database>.<name>.lock"
// next to the database, so one process leads however many open the file
// (a server and an import beside it, or two servers). The kernel frees the
// lock when the process dies; a lock on the local file is never lost while
// held, so Lost closes only on Release (the epoch still fences the writes,
// should the lock file be removed under a running leader).
func (s *Store) TryLeader(ctx context.Context, name string) (store.Leadership, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Leadership{}, false, err
	}
	if !validName(name) {
		return store.Leadership{}, false, fmt.Errorf("try leader %q: name must be letters, digits, - and _", name)
	}
	unlock, ok, err := lockFile(s.path + "." + name + ".lock")
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("try leader %s: %w", name, err)
		}
		return store.Leadership{}, false, err
	}
	epoch, err := s.NextEpoch(ctx, s.W, name)
	if err != nil {
		unlock()
		return store.Leadership{}, false, fmt.Errorf("try leader %s: %w", name, err)
	}
	lost := make(chan struct{})
	s.mu.Lock()
	s.next++
	id := s.next
	var once sync.Once
	release := func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.held, id)
			s.mu.Unlock()
			unlock()
			close(lost)
		})
	}
	s.held[id] = release
	s.mu.Unlock()
	return store.Leadership{Epoch: epoch, Lost: lost, Release: release}, true, nil
}

func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

var _ store.Store = (*Store)(nil)
