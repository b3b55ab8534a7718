// Package migrate copies a Dateline database between backends, typically
// from the default SQLite file to PostgreSQL when an installation outgrows
// one process (`dateline migrate --from ./dateline.db --to postgres://…`).
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/open"
	"github.com/dateline-news/dateline/internal/store/sqlstore"
)

// Tables are copied in this order (parents before children): the core
// tables, then those of 0002_accounts.sql, then the audit log. A migration adding tables adds
// them here.
var Tables = []string{"sources", "feeds", "articles", "stories", "story_insight",
	"users", "user_sessions", "comments", "comment_reports", "user_follows", "storyline_merges", "audit_log", "api_tokens"}

// rawStore is what both backends offer beyond store.Store.
type rawStore interface {
	DB() *sql.DB
	Rebind(string) string
	Dialect() sqlstore.Dialect
}

// CopyDSN opens both databases (applying migrations) and copies from → to.
func CopyDSN(ctx context.Context, fromDSN, toDSN string, w io.Writer) error {
	from, err := open.Open(ctx, fromDSN)
	if err != nil {
		return fmt.Errorf("copy: open source: %w", err)
	}
	defer from.Close()
	to, err := open.Open(ctx, toDSN)
	if err != nil {
		return fmt.Errorf("copy: open destination: %w", err)
	}
	defer to.Close()
	return Copy(ctx, from, to, w)
}

// Copy copies every row of Tables from one store into another, empty one,
// keeping ids, in one destination transaction; then it checks that each
// table holds as many rows on both sides and reports progress to w.
// Columns are taken from the source, so both must be at the same schema
// version (Open migrates both to the latest).
func Copy(ctx context.Context, from, to store.Store, w io.Writer) error {
	src, ok1 := from.(rawStore)
	dst, ok2 := to.(rawStore)
	if !ok1 || !ok2 {
		return errors.New("copy: stores do not expose their databases")
	}
	for _, t := range Tables {
		n, err := count(ctx, dst.DB(), t)
		if err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		if n != 0 {
			return fmt.Errorf("copy: destination table %s is not empty (%d rows)", t, n)
		}
	}
	tx, err := dst.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("copy: begin: %w", err)
	}
	defer tx.Rollback()
	for _, t := range Tables {
		n, err := copyTable(ctx, src.DB(), tx, dst, t)
		if err != nil {
			return fmt.Errorf("copy %s: %w", t, err)
		}
		fmt.Fprintf(w, "%s: %d rows copied\n", t, n)
	}
	if dst.Dialect().Name == "postgres" {
		if err := resetSequences(ctx, tx); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("copy: commit: %w", err)
	}
	for _, t := range Tables {
		a, err := count(ctx, src.DB(), t)
		if err != nil {
			return fmt.Errorf("copy: verify: %w", err)
		}
		b, err := count(ctx, dst.DB(), t)
		if err != nil {
			return fmt.Errorf("copy: verify: %w", err)
		}
		if a != b {
			return fmt.Errorf("copy: verify %s: %d rows in source, %d in destination", t, a, b)
		}
	}
	fmt.Fprintf(w, "verified: row counts match in %d tables\n", len(Tables))
	return nil
}

func count(ctx context.Context, db *sql.DB, table string) (int64, error) {
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

func columns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// maxParams keeps a multi-row INSERT under both backends' bind limits.
const maxParams = 30000

func copyTable(ctx context.Context, src *sql.DB, tx *sql.Tx, dst rawStore, table string) (int64, error) {
	cols, err := columns(ctx, src, table)
	if err != nil {
		return 0, fmt.Errorf("source columns: %w", err)
	}
	dcols, err := columns(ctx, tx, table)
	if err != nil {
		return 0, fmt.Errorf("destination columns: %w", err)
	}
	for _, c := range cols {
		if !slices.Contains(dcols, c) {
			return 0, fmt.Errorf("column %s missing in destination", c)
		}
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return 0, fmt.Errorf("read: %w", err)
	}
	defer rows.Close()
	per := max(1, min(500, maxParams/len(cols)))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	var batch []any
	var total int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / len(cols)
		q := head + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		if _, err := tx.ExecContext(ctx, dst.Rebind(q), batch...); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		total += int64(n)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, fmt.Errorf("read: %w", err)
		}
		batch = append(batch, vals...)
		if len(batch)/len(cols) >= per {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read: %w", err)
	}
	return total, flush()
}

// resetSequences moves every identity sequence past the copied ids so new
// rows do not collide with them.
func resetSequences(ctx context.Context, tx *sql.Tx) error {
	for _, t := range Tables {
		var seq sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence(quote_ident(table_name), column_name)
FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'`, t).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			continue // no id column
		}
		if err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
		if !seq.Valid {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval($1, (SELECT COALESCE(MAX(id), 0) + 1 FROM `+t+`), false)`, seq.String); err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
	}
	return nil
}
