package account

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// rawSQLite is an empty SQLite file that no store has opened.
func rawSQLite(t *testing.T) testDB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "raw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return testDB{"sqlite", db, nil, SQLite}
}

// rawPostgres is an empty PostgreSQL database that no store has opened, or
// false when the PostgreSQL runs are skipped.
func rawPostgres(t *testing.T) (testDB, bool) {
	t.Helper()
	if os.Getenv(storetest.PostgresEnv) == "" && os.Getenv("CI") != "true" {
		return testDB{}, false
	}
	db, err := sql.Open("pgx", storetest.FreshPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return testDB{"postgres", db, nil, Postgres}, true
}

// New must refuse a database the store's migrations have not prepared, and
// say which tables are missing and what to do.
func TestNewNeedsStoreTables(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			raw := rawSQLite(t)
			if tdb.dialect == Postgres {
				var ok bool
				if raw, ok = rawPostgres(t); !ok {
					t.Fatal("testDBs gave a PostgreSQL database without the server")
				}
			}
			for _, tc := range []struct {
				name    string
				db      *sql.DB
				prepare string   // run on db first
				missing []string // tables the error must name; none: New succeeds
			}{
				{"store", tdb.db, "", nil},
				{"empty database", raw.db, "", tables},
				{"one table dropped", tdb.db, "DROP TABLE user_follows", []string{"user_follows"}},
			} {
				if tc.prepare != "" {
					if _, err := tc.db.ExecContext(ctx, tc.prepare); err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
				}
				s, err := New(tc.db, tdb.dialect, Options{Hash: fastHash})
				if len(tc.missing) == 0 {
					if err != nil || s == nil {
						t.Errorf("%s: New = %v", tc.name, err)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s: New succeeded without the tables", tc.name)
					continue
				}
				msg := err.Error()
				if !strings.Contains(msg, "accounts tables missing") || !strings.Contains(msg, "open the database through the store") {
					t.Errorf("%s: unclear error %q", tc.name, msg)
				}
				if list := "(" + strings.Join(tc.missing, ", ") + ")"; !strings.Contains(msg, list) {
					t.Errorf("%s: error %q does not list exactly %s", tc.name, msg, list)
				}
			}
		})
	}
}
