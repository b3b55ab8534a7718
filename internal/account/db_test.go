package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// testDB is one database to run a storage test on.
type testDB struct {
	name    string
	db      *sql.DB
	dialect Dialect
}

// testDBs returns freshly migrated databases: SQLite on a temp file and,
// when DATELINE_TEST_POSTGRES_URL is set, a new PostgreSQL database created
// through that server and dropped after the test.
func testDBs(t *testing.T) []testDB {
	t.Helper()
	out := rawDBs(t)
	for _, tdb := range out {
		if err := Migrate(context.Background(), tdb.db, tdb.dialect); err != nil {
			t.Fatalf("migrate %s: %v", tdb.name, err)
		}
	}
	return out
}

// rawDBs is testDBs without the migrations.
func rawDBs(t *testing.T) []testDB {
	t.Helper()
	out := []testDB{{"sqlite", openRawSQLite(t), SQLite}}
	if db := openRawPostgres(t); db != nil {
		out = append(out, testDB{"postgres", db, Postgres})
	}
	return out
}

// sqliteOnly is the SQLite database of testDBs, for tests of logic that
// does not depend on the backend.
func sqliteOnly(t *testing.T) testDB {
	t.Helper()
	db := openRawSQLite(t)
	if err := Migrate(context.Background(), db, SQLite); err != nil {
		t.Fatal(err)
	}
	return testDB{"sqlite", db, SQLite}
}

func openRawSQLite(t testing.TB) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	// One connection, as the SQLite store's write handle has: a query that
	// held a connection while starting another would deadlock here.
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func openRawPostgres(t *testing.T) *sql.DB {
	t.Helper()
	base := os.Getenv("DATELINE_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DATELINE_TEST_POSTGRES_URL is not set and CI=true")
		}
		t.Log("DATELINE_TEST_POSTGRES_URL not set: PostgreSQL runs skipped")
		return nil
	}
	ctx := context.Background()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DATELINE_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/postgres"
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "dateline_account_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
		admin.Close()
	})
	return db
}
