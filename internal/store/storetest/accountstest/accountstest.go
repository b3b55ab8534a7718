// Package accountstest is the part of the storage conformance suite that
// runs the accounts service on a backend's own database. It is apart from
// storetest because the account package's own tests use storetest.
package accountstest

import (
	"context"
	"slices"
	"testing"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/store"
)

// Run checks, on a fresh store from open, that the accounts service runs on
// the store's own database in the dialect the store names.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	testAccounts(t, open(t))
}

// testAccounts: the accounts service runs on the store's own database in the
// dialect the store names (no caller guesses it from a connection string):
// users, sessions' owner lookups, follows, comments and API tokens all work.
func testAccounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	h := s.SQL()
	if h.DB == nil || h.ReadDB == nil {
		t.Fatalf("SQL() = %+v: the store must name its database", h)
	}
	if h.Dialect != store.DialectSQLite && h.Dialect != store.DialectPostgres {
		t.Fatalf("SQL().Dialect = %q", h.Dialect)
	}
	svc, err := account.New(h.DB, account.Dialect(h.Dialect), account.Options{ReadDB: h.ReadDB,
		Hash: account.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatalf("accounts on the store's database: %v", err)
	}
	u, err := svc.CreateUser(ctx, "harbourreader", "tide charts and ferry times", account.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.UserByName(ctx, "harbourreader"); err != nil || got.ID != u.ID {
		t.Fatalf("UserByName = %+v, %v; want id %d", got, err, u.ID)
	}
	if err := svc.Follow(ctx, u, "topic", "Harbour", true); err != nil {
		t.Fatal(err)
	}
	topics, _, err := svc.Follows(ctx, u.ID)
	if err != nil || len(topics) != 1 {
		t.Fatalf("follows = %v, %v; want one topic", topics, err)
	}
	c, err := svc.Post(ctx, u, "story", 1, 0, "Ferries run again from Monday.")
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Comments(ctx, u, "story", 1, account.Oldest)
	if err != nil || !slices.ContainsFunc(list, func(x account.Comment) bool { return x.ID == c.ID }) {
		t.Fatalf("comments = %+v, %v; want the posted one", list, err)
	}
	secret, _, err := svc.CreateToken(ctx, u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.UserByToken(ctx, secret); err != nil || got.ID != u.ID {
		t.Fatalf("UserByToken = %+v, %v; want id %d", got, err, u.ID)
	}
}
