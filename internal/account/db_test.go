package account

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/sqlite"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

// testDB is one database to run a storage test on, opened through its
// store so the store's migrations created the accounts tables.
type testDB struct {
	name    string
	db      *sql.DB // the store's DB()
	rdb     *sql.DB // the store's ReadDB(), if it has one
	dialect Dialect
}

// testDBs returns fresh stores' databases: SQLite on a temp file and, when
// DATELINE_TEST_POSTGRES_URL is set, a new PostgreSQL database created
// through that server and dropped after the test (CI=true requires it).
func testDBs(t *testing.T) []testDB {
	t.Helper()
	out := []testDB{sqliteOnly(t)}
	if os.Getenv(storetest.PostgresEnv) == "" && os.Getenv("CI") != "true" {
		// storetest.FreshPostgres would skip the SQLite run as well.
		t.Logf("%s not set: PostgreSQL runs skipped", storetest.PostgresEnv)
		return out
	}
	st, err := postgres.Open(context.Background(), storetest.FreshPostgres(t))
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return append(out, testDB{"postgres", st.DB(), nil, Postgres})
}

// sqliteOnly is the SQLite database of testDBs, for tests of logic that
// does not depend on the backend.
func sqliteOnly(t testing.TB) testDB {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"))
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return testDB{"sqlite", st.DB(), st.ReadDB(), SQLite}
}
