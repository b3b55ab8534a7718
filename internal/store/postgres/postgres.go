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

// Close closes the pool.
func (s *Store) Close() error { return s.W.Close() }

// TryLeader takes the session advisory lock for name on a dedicated
// connection and keeps that *sql.Conn out of the pool while leading: the
// lock belongs to the database session, so it must be held (not returned
// to the pool) and is released by release — or by PostgreSQL itself when
// the leader's process or connection dies.
func (s *Store) TryLeader(ctx context.Context, name string) (func(), bool, error) {
	conn, err := s.W.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("try leader %s: %w", name, err)
	}
	key := lockKey("leader:" + name)
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil {
		conn.Close()
		return nil, false, fmt.Errorf("try leader %s: %w", name, err)
	}
	if !ok {
		conn.Close()
		return nil, false, nil
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// If unlocking fails the connection is discarded, which ends the
			// session and so the lock.
			if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
			conn.Close()
		})
	}, true, nil
}

var _ store.Store = (*Store)(nil)
