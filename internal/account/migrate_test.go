package account

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// The store backends apply internal/store/<backend>/migrations/0002_accounts.sql
// with their own runner; those files must be this package's schema exactly.
func TestStoreMigrationCopies(t *testing.T) {
	root := repoRoot(t)
	for _, d := range []Dialect{SQLite, Postgres} {
		want, err := migrations.ReadFile("migrations/" + string(d) + "/0001_accounts.sql")
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, "internal", "store", string(d), "migrations", "0002_accounts.sql"))
		if err != nil {
			t.Fatalf("store copy: %v", err)
		}
		if string(got) != string(want) {
			t.Errorf("internal/store/%s/migrations/0002_accounts.sql differs from internal/account/migrations/%s/0001_accounts.sql", d, d)
		}
	}
}

// The store's runner sends a whole file in one Exec, and a database may meet
// both that runner and Migrate: the schema must apply that way, twice, and
// then under Migrate.
func TestSchemaAppliesAsOneExec(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range rawDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			body, err := migrations.ReadFile("migrations/" + string(tdb.dialect) + "/0001_accounts.sql")
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if _, err := tdb.db.ExecContext(ctx, string(body)); err != nil {
					t.Fatalf("exec %d: %v", i, err)
				}
			}
			if err := Migrate(ctx, tdb.db, tdb.dialect); err != nil {
				t.Fatalf("migrate after the store runner: %v", err)
			}
			s, _ := newTestService(t, tdb)
			u := mustUser(t, s, "ann", Reader)
			if _, err := s.Post(ctx, u, KindStory, 1, 0, "works"); err != nil {
				t.Fatal(err)
			}
		})
	}
}
