package open

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/sqlite"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

func TestIsPostgres(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db":         true,
		"postgresql://u@h/db":       true,
		"./dateline.db":             false,
		"/var/lib/dateline/x.db":    false,
		"sqlite:dateline.db":        false,
		"postgres.db":               false,
		"data/postgres://confusing": false,
	} {
		if got := IsPostgres(dsn); got != want {
			t.Errorf("IsPostgres(%q) = %v", dsn, got)
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*sqlite.Store); !ok {
		t.Fatalf("path opened %T", s)
	}
}

func TestOpenPostgres(t *testing.T) {
	s, err := Open(context.Background(), storetest.FreshPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*postgres.Store); !ok {
		t.Fatalf("postgres URL opened %T", s)
	}
}
