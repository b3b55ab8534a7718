package account

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAPITokens(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			s, clk := newTestService(t, tdb)
			ann := mustUser(t, s, "ann", Reader)
			bob := mustUser(t, s, "bob", Reader)

			if _, _, err := s.CreateToken(ctx, ann.ID, "  "); err == nil {
				t.Error("token without a name accepted")
			}
			secret, tok, err := s.CreateToken(ctx, ann.ID, "my script")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(secret, TokenPrefix) || len(secret) != len(TokenPrefix)+43 {
				t.Errorf("secret %q: want dl_ and 43 base64url characters", secret)
			}
			// Hashed at rest: no column of the table holds the secret.
			var hash, name string
			if err := tdb.db.QueryRowContext(ctx, s.d.bind(`SELECT hash, name FROM api_tokens WHERE id = ?`), tok.ID).Scan(&hash, &name); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(hash, secret) || hash != tokenHash(secret) || name != "my script" {
				t.Errorf("stored hash %q name %q; want the SHA-256 of the secret", hash, name)
			}

			u, err := s.UserByToken(ctx, secret)
			if err != nil || u.ID != ann.ID {
				t.Fatalf("UserByToken = %+v, %v; want ann", u, err)
			}
			list, err := s.Tokens(ctx, ann.ID)
			if err != nil || len(list) != 1 || !list[0].LastUsed.Equal(clk.Now()) || list[0].Name != "my script" {
				t.Fatalf("Tokens = %+v, %v; want one, used now", list, err)
			}
			// last_used moves at most once a minute.
			clk.Add(30 * time.Second)
			if _, err := s.UserByToken(ctx, secret); err != nil {
				t.Fatal(err)
			}
			if list, _ = s.Tokens(ctx, ann.ID); !list[0].LastUsed.Equal(clk.Now().Add(-30 * time.Second)) {
				t.Errorf("last used %v moved within a minute", list[0].LastUsed)
			}

			for _, bad := range []string{"", "dl_", secret + "x", strings.TrimPrefix(secret, TokenPrefix), hash} {
				if _, err := s.UserByToken(ctx, bad); !errors.Is(err, ErrNoToken) {
					t.Errorf("UserByToken(%q) = %v; want ErrNoToken", bad, err)
				}
			}

			// Only the owner revokes.
			if err := s.RevokeToken(ctx, bob.ID, tok.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("bob revoking ann's token: %v; want ErrNotFound", err)
			}
			if _, err := s.UserByToken(ctx, secret); err != nil {
				t.Errorf("token dead after a stranger's revoke: %v", err)
			}

			// A suspended owner's token is refused.
			if err := s.Suspend(ctx, "ann", true); err != nil {
				t.Fatal(err)
			}
			if _, err := s.UserByToken(ctx, secret); !errors.Is(err, ErrSuspended) {
				t.Errorf("suspended owner's token: %v; want ErrSuspended", err)
			}
			if err := s.Suspend(ctx, "ann", false); err != nil {
				t.Fatal(err)
			}

			if err := s.RevokeToken(ctx, ann.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.UserByToken(ctx, secret); !errors.Is(err, ErrNoToken) {
				t.Errorf("revoked token: %v; want ErrNoToken", err)
			}
			if list, _ = s.Tokens(ctx, ann.ID); len(list) != 1 || !list[0].Revoked {
				t.Errorf("Tokens after revoke = %+v; want it listed as revoked", list)
			}
		})
	}
}

func TestTokenLookupsLimitedPerAddress(t *testing.T) {
	ctx := context.Background()
	tdb := sqliteOnly(t)
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s, err := New(tdb.db, tdb.dialect, Options{ReadDB: tdb.rdb, Now: clk.Now, Hash: fastHash, LoginPerAddress: 3})
	if err != nil {
		t.Fatal(err)
	}
	ann := mustUser(t, s, "ann", Reader)
	secret, _, err := s.CreateToken(ctx, ann.ID, "cron")
	if err != nil {
		t.Fatal(err)
	}
	// Good look-ups cost nothing.
	for range 5 {
		if _, err := s.UserByTokenFrom(ctx, secret, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if _, err := s.UserByTokenFrom(ctx, "dl_guess", "10.0.0.1"); !errors.Is(err, ErrNoToken) {
			t.Fatalf("guess %d: %v; want ErrNoToken", i, err)
		}
	}
	var le *LimitError
	if _, err := s.UserByTokenFrom(ctx, secret, "10.0.0.1"); !errors.As(err, &le) {
		t.Errorf("after 3 failures: %v; want a LimitError", err)
	}
	if _, err := s.UserByTokenFrom(ctx, secret, "10.0.0.2"); err != nil {
		t.Errorf("another address: %v", err)
	}
}
