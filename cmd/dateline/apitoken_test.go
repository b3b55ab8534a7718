package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/store/sqlite"
	"github.com/dateline-news/dateline/internal/web"
)

// TestReadersHookAPITokens checks the hook serve wires: a token names its
// owner with role and follows, follows through the token land in the
// account, and bad input comes back as the web layer's InputError.
func TestReadersHookAPITokens(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dateline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := account.New(st.DB(), account.SQLite, account.Options{Hash: account.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.CreateUser(ctx, "ann", "correct horse battery", account.Moderator)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := svc.CreateToken(ctx, u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	h := readersHook{commentsHook(st, svc, false, "Dateline"), svc}
	r := httptest.NewRequest("GET", "/api/v1/me", nil)

	if err := h.APIFollow(r, secret, account.FollowTopic, "#Flood", true); err != nil {
		t.Fatal(err)
	}
	var inv *web.InputError
	if err := h.APIFollow(r, secret, account.FollowSource, "x", true); !errors.As(err, &inv) {
		t.Errorf("bad source: %v; want an InputError", err)
	}
	rd, ok, err := h.APIReader(r, secret)
	if err != nil || !ok || rd.Name != "ann" || rd.Role != "moderator" || rd.Admin || len(rd.Topics) != 1 {
		t.Errorf("APIReader = %+v, %v, %v", rd, ok, err)
	}
	if _, ok, err := h.APIReader(r, "dl_unknown"); ok || err != nil {
		t.Errorf("unknown token: %v, %v", ok, err)
	}
}
