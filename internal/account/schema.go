package account

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/dateline-news/dateline/internal/store/sqlstore"
)

// Dialect names the SQL flavour of the database the service talks to.
type Dialect string

// The two backends Dateline runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// bind rewrites ? placeholders as $1, $2… for PostgreSQL. Queries in this
// package never contain a literal '?'.
func (d Dialect) bind(q string) string {
	if d != Postgres {
		return q
	}
	return sqlstore.Numbered(q)
}

// tables are the ones the service reads and writes. The store creates them
// (internal/store/<backend>/migrations/0002_accounts.sql) when it opens.
var tables = []string{"users", "user_sessions", "comments", "comment_reports", "user_follows", "api_tokens"}

// checkTables returns an error naming the service's tables db lacks, so a
// database not opened through the store fails at start rather than on the
// first request.
func checkTables(ctx context.Context, db *sql.DB, d Dialect) error {
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if d == Postgres {
		// The tables the unqualified names in this package resolve to.
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = ANY (current_schemas(false))`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("check accounts tables: %w", err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("check accounts tables: %w", err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check accounts tables: %w", err)
	}
	var missing []string
	for _, t := range tables {
		if !have[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("accounts tables missing (%s): open the database through the store so migrations run", strings.Join(missing, ", "))
	}
	return nil
}
