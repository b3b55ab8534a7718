// Package postgres stores Dateline's data in PostgreSQL (12 or later), for
// installations where several processes share one database.
//
// Feed leases use SELECT … FOR UPDATE SKIP LOCKED, leadership and
// migrations use advisory locks, search a generated tsvector column with a
// GIN index.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlstore"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL backend; it implements store.Store.
type Store struct {
	*sqlstore.Store
}

// MaxConns bounds the connection pool (leaders hold one each).
const MaxConns = 16

// Open connects to the database at dsn (a postgres:// URL or key=value
// string) and applies pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns / 2)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s := &Store{&sqlstore.Store{W: db, R: db, D: sqlstore.Dialect{
		Name: "postgres", Numbered: true, LockSkip: " FOR UPDATE SKIP LOCKED",
	}}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
}

// lockKey turns a name into an advisory lock key.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("dateline:" + name))
	return int64(h.Sum64())
}

// migrate applies the embedded migrations in one transaction while holding
// an advisory lock, so concurrent starters wait and then find nothing to do.
func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	conn, err := s.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	key := lockKey("migrate")
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	if err := sqlstore.ApplyMigrations(ctx, tx, sub, s.Rebind); err != nil {
		tx.Rollback()
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// DB returns the connection pool (reads and writes share it).
func (s *Store) DB() *sql.DB { return s.W }

// SQL is the database for packages that keep tables in it.
func (s *Store) SQL() store.SQLHandle {
	return store.SQLHandle{DB: s.W, ReadDB: s.W, Dialect: store.DialectPostgres}
}

// Close closes the pool.
func (s *Store) Close() error { return s.W.Close() }

// LeaderCheck is how often a leader pings the connection holding its lock,
// and LeaderPingTimeout how long a ping may take before the lock counts as
// lost (generous: a slow answer on a loaded server is not a lost session,
// and the fencing token guards the writes meanwhile).
const (
	LeaderCheck       = 2 * time.Second
	LeaderPingTimeout = 15 * time.Second
)

// TryLeader takes the session advisory lock for name on a dedicated
// connection and keeps that *sql.Conn out of the pool while leading: the
// lock belongs to the database session, so it must be held (not returned
// to the pool) and is released by Release — or by PostgreSQL itself when
// the leader's process or connection dies. A watcher pings that connection
// every LeaderCheck and closes Lost when a ping fails: the session (and so
// the lock) may be gone, and another process may lead already.
func (s *Store) TryLeader(ctx context.Context, name string) (store.Leadership, bool, error) {
	conn, err := s.W.Conn(ctx)
	if err != nil {
		return store.Leadership{}, false, fmt.Errorf("try leader %s: %w", name, err)
	}
	key := lockKey("leader:" + name)
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil {
		conn.Close()
		return store.Leadership{}, false, fmt.Errorf("try leader %s: %w", name, err)
	}
	if !ok {
		conn.Close()
		return store.Leadership{}, false, nil
	}
	unlock := func() {
		// If unlocking fails the connection is discarded, which ends the
		// session and so the lock.
		if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}
	epoch, err := s.NextEpoch(ctx, conn, name)
	if err != nil {
		unlock()
		return store.Leadership{}, false, fmt.Errorf("try leader %s: %w", name, err)
	}
	lost := make(chan struct{})
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		t := time.NewTicker(LeaderCheck)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			pctx, cancel := context.WithTimeout(context.Background(), LeaderPingTimeout)
			err := conn.PingContext(pctx)
			cancel()
			if err != nil {
				close(lost)
				return
			}
		}
	}()
	var once sync.Once
	release := func() {
		once.Do(func() {
			close(stop)
			<-watched // the watcher no longer uses conn
			select {
			case <-lost:
			default:
				close(lost)
			}
			unlock()
		})
	}
	return store.Leadership{Epoch: epoch, Lost: lost, Release: release}, true, nil
}

var _ store.Store = (*Store)(nil)
