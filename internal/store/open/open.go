// Package open picks a storage backend from a DSN.
package open

import (
	"context"
	"strings"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open returns the store at dsn with migrations applied: a postgres:// or
// postgresql:// URL opens PostgreSQL, anything else is a SQLite file path
// (created with its directory if missing; "sqlite:" or "file:" prefixes are
// accepted). Packages that keep their own tables in the store's database
// (accounts, lead images) reach it and its dialect through Store.SQL.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}
