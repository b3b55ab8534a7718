package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Token is a personal API token as its owner sees it (never its secret).
type Token struct {
	ID       int64
	UserID   int64
	Name     string
	Created  time.Time
	LastUsed time.Time // zero: never used
	Revoked  bool
}

// TokenPrefix starts every API token secret, so leaked ones are easy to spot.
const TokenPrefix = "dl_"

// Limits on tokens.
const (
	maxTokenName    = 60
	maxTokensOfUser = 50
	tokenTouchEvery = time.Minute // last_used is written at most this often
)

// ErrNoToken is returned for an unknown or revoked API token.
var ErrNoToken = errors.New("invalid API token")

// CreateToken makes a personal API token for userID and returns its secret,
// which is shown once: only its SHA-256 is kept.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (string, Token, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Token{}, invalid("Give the token a name, e.g. the program that will use it.")
	}
	if utf8.RuneCountInString(name) > maxTokenName {
		return "", Token{}, invalid("Token names are at most %d characters.", maxTokenName)
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	if u.Suspended {
		return "", Token{}, ErrSuspended
	}
	var n int
	if err := s.db.QueryRowContext(ctx, s.d.bind(`SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked = 0`), userID).Scan(&n); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	if n >= maxTokensOfUser {
		return "", Token{}, invalid("You have %d tokens already; revoke some first.", n)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	now := s.Now()
	tok := Token{UserID: userID, Name: name, Created: now.Truncate(time.Microsecond)}
	q := `INSERT INTO api_tokens (user_id, name, hash, created) VALUES (?, ?, ?, ?)`
	args := []any{userID, name, tokenHash(secret), micros(now)}
	if s.d == Postgres {
		err = s.db.QueryRowContext(ctx, s.d.bind(q+` RETURNING id`), args...).Scan(&tok.ID)
	} else {
		var res sql.Result
		if res, err = s.db.ExecContext(ctx, q, args...); err == nil {
			tok.ID, err = res.LastInsertId()
		}
	}
	if err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	return secret, tok, nil
}

// Tokens lists userID's tokens, revoked ones included, newest first.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, s.d.bind(
		`SELECT id, user_id, name, created, last_used, revoked FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, used, revoked int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &used, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.Created, t.LastUsed, t.Revoked = fromMicros(created), fromMicros(used), revoked != 0
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken revokes one of userID's own tokens; another's gives ErrNotFound.
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?`), tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// UserByToken returns the live, unsuspended account behind an API token
// secret: ErrNoToken for unknown or revoked ones, ErrSuspended for a
// suspended owner. The lookup is by the secret's SHA-256, so the database
// never compares secrets and timing says nothing about them.
func (s *Service) UserByToken(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return User{}, ErrNoToken
	}
	var tokID, used int64
	u, err := scanUser(s.db.QueryRowContext(ctx, s.d.bind(
		`SELECT u.id, u.username, u.email, u.role, u.suspended, u.created_at, t.id, t.last_used
		 FROM api_tokens t JOIN users u ON u.id = t.user_id
		 WHERE t.hash = ? AND t.revoked = 0`), tokenHash(secret)), &tokID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoToken
	}
	if err != nil {
		return User{}, fmt.Errorf("read token: %w", err)
	}
	if u.Suspended {
		return User{}, ErrSuspended
	}
	// Programs may call often; one write a minute is enough to say "in use".
	if now := s.Now(); now.Sub(fromMicros(used)) >= tokenTouchEvery {
		if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE api_tokens SET last_used = ? WHERE id = ?`), micros(now), tokID); err != nil {
			return User{}, fmt.Errorf("touch token: %w", err)
		}
	}
	return u, nil
}

// UserByTokenFrom is UserByToken with failed look-ups counted against the
// client address addr, under the same per-address limit as failed log-ins,
// so an address cannot guess secrets at speed.
func (s *Service) UserByTokenFrom(ctx context.Context, secret, addr string) (User, error) {
	now := s.Now()
	if ok, wait := s.loginAddress.reserve(addr, now); !ok {
		return User{}, &LimitError{Wait: wait}
	}
	u, err := s.UserByToken(ctx, secret)
	if err == nil || !errors.Is(err, ErrNoToken) {
		s.loginAddress.refund(addr, now)
	}
	return u, err
}
