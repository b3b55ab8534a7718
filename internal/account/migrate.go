package account

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the SQL flavour of the database the service talks to.
type Dialect string

// The two backends Dateline runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// bind rewrites ? placeholders as $1, $2… for PostgreSQL. Queries in this
// package never contain a literal '?', so a plain scan is enough.
func (d Dialect) bind(q string) string {
	if d != Postgres {
		return q
	}
	var b strings.Builder
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

// Migrate applies the package's embedded forward-only migrations that db has
// not seen yet, each in its own transaction, recording the version in
// account_schema_version. It is safe to run on every start.
func Migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	if d != SQLite && d != Postgres {
		return fmt.Errorf("migrate accounts: unknown dialect %q", d)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS account_schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate accounts: create version table: %w", err)
	}
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate accounts: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return fmt.Errorf("migrate accounts: bad migration name %q", name)
		}
		body, err := migrations.ReadFile(path.Join(dir, name))
		if err != nil {
			return fmt.Errorf("migrate accounts: %w", err)
		}
		if err := applyMigration(ctx, db, d, v, string(body)); err != nil {
			return fmt.Errorf("migrate accounts: %s: %w", name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, d Dialect, version int, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d == Postgres {
		// Serialise concurrent starts of several processes on one database.
		if _, err := tx.ExecContext(ctx, `LOCK TABLE account_schema_version IN EXCLUSIVE MODE`); err != nil {
			return err
		}
	}
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM account_schema_version`).Scan(&have); err != nil {
		return err
	}
	if have >= version {
		return nil
	}
	for _, stmt := range splitStatements(body) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%.60s…: %w", stmt, err)
		}
	}
	if _, err := tx.ExecContext(ctx, d.bind(`INSERT INTO account_schema_version (version) VALUES (?)`), version); err != nil {
		return err
	}
	return tx.Commit()
}

// splitStatements cuts a migration at semicolons ending a line, after
// dropping "--" comment lines. Migrations here hold no procedural code.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		if i := strings.Index(line, " --"); i >= 0 {
			line = line[:i]
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, strings.TrimSuffix(s, ";"))
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
