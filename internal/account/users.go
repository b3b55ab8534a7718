package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ValidateUsername enforces 3-32 characters of [a-zA-Z0-9_-].
func ValidateUsername(name string) error {
	if n := len(name); n < 3 || n > 32 {
		return invalid("Username must be 3 to 32 characters long.")
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return invalid("Username may use only letters a-z, digits, '_' and '-'.")
		}
	}
	return nil
}

func normaliseEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", invalid("Email address is not valid (it is optional: leave it empty).")
	}
	return email, nil
}

// SignUp creates a reader account; addr (the client's address) is rate
// limited. The attempt is reserved before the name checks and the hash, so
// concurrent sign-ups cannot overrun the limit; it is given back when the
// form was invalid or the server failed, and counts when the account was
// created or the name was taken or looked like a taken one (probing names).
func (s *Service) SignUp(ctx context.Context, username, password, email, addr string) (User, error) {
	now := s.Now()
	var claims []claim
	if addr != "" {
		claims = append(claims, claim{s.signups, addr})
	}
	if ok, w := reserveAll(&s.signupMu, now, claims...); !ok {
		return User{}, &LimitError{Wait: w}
	}
	u, err := s.create(ctx, username, password, email, Reader)
	if err != nil && !errors.Is(err, ErrNameTaken) && !errors.Is(err, ErrNameLookalike) {
		refundAll(now, claims...)
	}
	if err == nil && addr != "" {
		s.trusted.add(loginPairKey(username, addr), now) // the owner's own address
	}
	return u, err
}

// CreateUser creates an account with role, for the command line.
func (s *Service) CreateUser(ctx context.Context, username, password string, role Role) (User, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return User{}, invalid("%v", err)
	}
	return s.create(ctx, username, password, "", role)
}

func (s *Service) create(ctx context.Context, username, password, email string, role Role) (User, error) {
	if err := ValidateUsername(username); err != nil {
		return User{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return User{}, err
	}
	if err := passwordNotName(password, username); err != nil {
		return User{}, err
	}
	email, err := normaliseEmail(email)
	if err != nil {
		return User{}, err
	}
	hash, err := s.hash(password)
	if err != nil {
		return User{}, err
	}
	// One sign-up at a time from here: the look-alike check reads every name,
	// and two look-alikes created at once would both pass it. (Across
	// processes the unique index still refuses equal names.)
	s.createMu.Lock()
	defer s.createMu.Unlock()
	if err := s.nameFree(ctx, username); err != nil {
		return User{}, err
	}
	u := User{Username: username, Email: email, Role: role, Created: s.Now()}
	err = s.db.QueryRowContext(ctx, s.d.bind(
		`INSERT INTO users (username, username_key, email, pass_hash, role, suspended, created_at)
		 VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id`),
		username, strings.ToLower(username), email, hash, string(role), micros(u.Created)).Scan(&u.ID)
	if err != nil {
		// A concurrent sign-up won the unique index.
		if _, lookErr := s.UserByName(ctx, username); lookErr == nil {
			return User{}, ErrNameTaken
		}
		return User{}, fmt.Errorf("create user %q: %w", username, err)
	}
	u.Created = fromMicros(micros(u.Created))
	return u, nil
}

// nameFree refuses a name that is taken (ignoring case) or that looks like a
// taken one ("adm1n" beside "admin"). It reads every name: sign-ups are rare
// and rate limited, and a skeleton column would need a migration that
// computes skeletons of existing names.
func (s *Service) nameFree(ctx context.Context, username string) error {
	key, skel := strings.ToLower(username), nameSkeleton(username)
	rows, err := s.db.QueryContext(ctx, `SELECT username_key FROM users`)
	if err != nil {
		return fmt.Errorf("check name %q: %w", username, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return fmt.Errorf("check name %q: %w", username, err)
		}
		if k == key {
			return ErrNameTaken
		}
		if nameSkeleton(k) == skel {
			return ErrNameLookalike
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check name %q: %w", username, err)
	}
	return nil
}

// hash and check run argon2 in a bounded number of slots so a burst of
// log-ins cannot take all memory.
func (s *Service) hash(pw string) (string, error) {
	s.hashSlots <- struct{}{}
	defer func() { <-s.hashSlots }()
	return HashPassword(pw, s.opts.Hash)
}

func (s *Service) check(pw, encoded string) bool {
	s.hashSlots <- struct{}{}
	defer func() { <-s.hashSlots }()
	ok, err := CheckPassword(pw, encoded)
	return ok && err == nil
}

const userCols = `id, username, email, role, suspended, created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var role string
	var created int64
	dest := append([]any{&u.ID, &u.Username, &u.Email, &role, &u.Suspended, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return User{}, err
	}
	u.Role = Role(role)
	u.Created = fromMicros(created)
	return u, nil
}

// UserByName finds an account by name, ignoring case.
func (s *Service) UserByName(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, s.d.bind(`SELECT `+userCols+` FROM users WHERE username_key = ?`), strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("find user %q: %w", name, err)
	}
	return u, nil
}

// UserByID finds an account by id.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, s.d.bind(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// ListUsers returns every account by name.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username_key`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Suspend sets or clears an account's suspension. Suspending also ends all of
// its sessions.
func (s *Service) Suspend(ctx context.Context, username string, suspended bool) error {
	u, err := s.UserByName(ctx, username)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE users SET suspended = ? WHERE id = ?`), flag(suspended), u.ID); err != nil {
		return fmt.Errorf("suspend %q: %w", username, err)
	}
	if suspended {
		return s.endSessions(ctx, u.ID)
	}
	return nil
}

// Promote gives an account a role (also to demote).
func (s *Service) Promote(ctx context.Context, username string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return invalid("%v", err)
	}
	res, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE users SET role = ? WHERE username_key = ?`), string(role), strings.ToLower(username))
	if err != nil {
		return fmt.Errorf("promote %q: %w", username, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Login checks a password and opens a session, returning the session token
// for the cookie. Failed attempts are throttled per addr and per account (see
// Options for how an owner's own address escapes a stranger's failures); the
// attempt is reserved before the password is hashed, and a throttled attempt
// returns *LimitError without checking the password.
// Pass the previous session token (or "") so it is ended: the id rotates.
func (s *Service) Login(ctx context.Context, username, password, addr, previous string) (User, string, error) {
	now := s.Now()
	if len(username) > 64 { // bounds the throttle's keys; no such name exists
		username = username[:64]
	}
	acct := "u:" + strings.ToLower(username)
	pair := loginPairKey(username, addr)
	claims := []claim{{s.loginAddress, addr}, {s.loginAccount, acct}}
	if s.trusted.has(pair, now) {
		claims[1] = claim{s.loginPair, pair}
	}
	if ok, w := reserveAll(&s.loginMu, now, claims...); !ok {
		return User{}, "", &LimitError{Wait: w}
	}
	// Only a wrong name or password counts; anything else gives the attempt back.
	counts := false
	defer func() {
		if !counts {
			refundAll(now, claims...)
		}
	}()
	var hash string
	u, err := scanUser(s.rdb.QueryRowContext(ctx, s.d.bind(`SELECT `+userCols+`, pass_hash FROM users WHERE username_key = ?`),
		strings.ToLower(username)), &hash)
	if errors.Is(err, sql.ErrNoRows) || len(password) > 1024 {
		s.check(password, s.dummyHash) // same work as a real miss
		counts = true
		return User{}, "", ErrBadLogin
	}
	if err != nil {
		return User{}, "", fmt.Errorf("log in: %w", err)
	}
	if !s.check(password, hash) {
		counts = true
		return User{}, "", ErrBadLogin
	}
	if u.Suspended {
		return User{}, "", ErrSuspended
	}
	if previous != "" {
		if err := s.Logout(ctx, previous); err != nil {
			return User{}, "", err
		}
	}
	tok, err := s.newSession(ctx, u.ID)
	if err != nil {
		return User{}, "", err
	}
	s.trusted.add(pair, now)
	return u, tok, nil
}

// loginPairKey names an (account, address) pair for the log-in throttle.
func loginPairKey(username, addr string) string {
	return "u:" + strings.ToLower(username) + "\x00" + addr
}

// StartSession opens a session for an account without a password, e.g.
// right after sign-up.
func (s *Service) StartSession(ctx context.Context, userID int64) (string, error) {
	return s.newSession(ctx, userID)
}

func (s *Service) newSession(ctx context.Context, userID int64) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	now := s.Now()
	_, err := s.db.ExecContext(ctx, s.d.bind(`INSERT INTO user_sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
		tokenHash(tok), userID, micros(now), micros(now.Add(s.opts.SessionTTL)))
	if err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	// Expired sessions are swept here rather than by a timer.
	if _, err := s.db.ExecContext(ctx, s.d.bind(`DELETE FROM user_sessions WHERE expires_at < ?`), micros(now)); err != nil {
		return "", fmt.Errorf("sweep sessions: %w", err)
	}
	return tok, nil
}

// tokenHash is what the database keeps of a session token: a leaked table
// does not yield usable cookies.
func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// SessionUser returns the live, unsuspended account behind a session token.
func (s *Service) SessionUser(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 100 {
		return User{}, ErrNoSession
	}
	u, err := scanUser(s.rdb.QueryRowContext(ctx, s.d.bind(
		`SELECT u.id, u.username, u.email, u.role, u.suspended, u.created_at
		 FROM user_sessions s JOIN users u ON u.id = s.user_id
		 WHERE s.id_hash = ? AND s.expires_at > ?`), tokenHash(token), micros(s.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, fmt.Errorf("read session: %w", err)
	}
	if u.Suspended {
		return User{}, ErrSuspended
	}
	return u, nil
}

// Logout ends the session server-side.
func (s *Service) Logout(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, s.d.bind(`DELETE FROM user_sessions WHERE id_hash = ?`), tokenHash(token)); err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	return nil
}

func (s *Service) endSessions(ctx context.Context, userID int64) error {
	if _, err := s.db.ExecContext(ctx, s.d.bind(`DELETE FROM user_sessions WHERE user_id = ?`), userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// ChangePassword replaces the password after checking the old one, ends every
// session of the account and returns a fresh token for the caller.
func (s *Service) ChangePassword(ctx context.Context, userID int64, old, new string) (string, error) {
	var hash string
	err := s.rdb.QueryRowContext(ctx, s.d.bind(`SELECT pass_hash FROM users WHERE id = ?`), userID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("change password: %w", err)
	}
	now := s.Now()
	key := claim{s.loginAccount, fmt.Sprintf("id:%d", userID)}
	if ok, w := reserveAll(&s.loginMu, now, key); !ok {
		return "", &LimitError{Wait: w}
	}
	if !s.check(old, hash) {
		return "", invalid("The current password is wrong.") // the reservation counts
	}
	refundAll(now, key)
	if err := ValidatePassword(new); err != nil {
		return "", err
	}
	if u, err := s.UserByID(ctx, userID); err != nil {
		return "", err
	} else if err := passwordNotName(new, u.Username); err != nil {
		return "", err
	}
	nh, err := s.hash(new)
	if err != nil {
		return "", err
	}
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE users SET pass_hash = ? WHERE id = ?`), nh, userID); err != nil {
		return "", fmt.Errorf("change password: %w", err)
	}
	if err := s.endSessions(ctx, userID); err != nil {
		return "", err
	}
	return s.newSession(ctx, userID)
}

// SetPassword replaces a password without the old one, for the command line.
func (s *Service) SetPassword(ctx context.Context, username, pw string) error {
	if err := ValidatePassword(pw); err != nil {
		return err
	}
	u, err := s.UserByName(ctx, username)
	if err != nil {
		return err
	}
	if err := passwordNotName(pw, u.Username); err != nil {
		return err
	}
	h, err := s.hash(pw)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE users SET pass_hash = ? WHERE id = ?`), h, u.ID); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return s.endSessions(ctx, u.ID)
}
