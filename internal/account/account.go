// Package account keeps Dateline's readers: accounts and sessions, comments on
// stories and articles, their moderation, and what each reader follows.
//
// Its tables are created by the store's migrations (internal/store/<backend>/
// migrations/0002_accounts.sql), which run when the store opens; the service
// speaks plain parameterised SQL through database/sql, so it runs unchanged
// on SQLite and PostgreSQL.
package account

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Role is what an account may do beyond reading and commenting.
type Role string

// Roles, from least to most trusted.
const (
	Reader    Role = "reader"
	Moderator Role = "moderator"
	Admin     Role = "admin"
)

// ParseRole accepts the three role names.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Reader, Moderator, Admin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want reader, moderator or admin)", s)
}

// User is an account as the rest of Dateline sees it (never its hash).
type User struct {
	ID        int64
	Username  string
	Email     string
	Role      Role
	Suspended bool
	Created   time.Time
}

// Moderates reports whether u may see hidden comments and act on reports.
func (u User) Moderates() bool {
	return u.ID != 0 && !u.Suspended && (u.Role == Moderator || u.Role == Admin)
}

// Errors the service returns; callers map them to messages and statuses.
var (
	ErrNotFound      = errors.New("not found")
	ErrBadLogin      = errors.New("wrong username or password")
	ErrSuspended     = errors.New("this account is suspended")
	ErrForbidden     = errors.New("not allowed")
	ErrNameTaken     = errors.New("that username is taken")
	ErrNameLookalike = errors.New("that username looks like an existing one")
	ErrEditExpired   = errors.New("comments can only be edited for 15 minutes after posting")
	ErrBadTarget     = errors.New("comments are for stories and articles")
	ErrNoSession     = errors.New("not logged in")
	ErrAlreadyExists = errors.New("already exists")
)

// InvalidError is a validation failure whose message is fit to show the user.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, a ...any) error { return &InvalidError{Msg: fmt.Sprintf(format, a...)} }

// LimitError says an action was refused by a rate limit and when to retry.
type LimitError struct{ Wait time.Duration }

func (e *LimitError) Error() string {
	return fmt.Sprintf("Too many attempts, try again in %d s", e.Seconds())
}

// Seconds is the wait rounded up to whole seconds, at least 1.
func (e *LimitError) Seconds() int {
	s := int((e.Wait + time.Second - 1) / time.Second)
	return max(s, 1)
}

// Options tune a Service; the zero value gives the defaults.
type Options struct {
	// ReadDB, when set, serves the read-only queries (sessions, comment
	// lists, counts) so page views do not queue behind writes on SQLite's
	// single write connection; pass the store's ReadDB(). Default: db.
	ReadDB     *sql.DB
	Now        func() time.Time // clock, for tests; default time.Now
	Hash       HashParams       // default DefaultHashParams
	SessionTTL time.Duration    // default 30 days
	EditWindow time.Duration    // default 15 minutes

	// Log-in throttles count failed attempts: per account (default 5, then one
	// per minute) and per client address (default 20, then one per 15 s).
	// Each attempt is reserved before the password is hashed and given back
	// if it succeeds, so concurrent attempts cannot overrun a limit.
	//
	// So that nobody can lock an owner out by failing on purpose, the
	// per-account limit covers only addresses that have not logged in to the
	// account before. An address that has (within SessionTTL, remembered in
	// memory) gets its own bucket of the same size for that account instead:
	// a stranger's failures never refuse the owner's usual address, and a
	// guesser at the owner's address is still limited. Every address keeps its
	// per-address limit across all accounts.
	LoginPerAccount, LoginPerAddress     int
	LoginAccountEvery, LoginAddressEvery time.Duration
	// Comment posting: CommentBurst (default 5) then one per CommentEvery
	// (default 12 s), i.e. 5 a minute per user.
	CommentBurst int
	CommentEvery time.Duration
	// Sign-ups per address: SignupBurst (default 5) then one per SignupEvery (default 10 min).
	SignupBurst int
	SignupEvery time.Duration
}

// Service is the account, comment and moderation logic over one database.
// It is safe for concurrent use.
type Service struct {
	db   *sql.DB // writes, and reads that must see them at once
	rdb  *sql.DB // other reads
	d    Dialect
	opts Options

	loginAccount, loginAddress, comments, signups *limiter
	loginPair                                     *limiter      // per (account, trusted address)
	trusted                                       *trustedPairs // (account, address) pairs that logged in
	loginMu, signupMu                             sync.Mutex    // make a set of reservations one step
	createMu                                      sync.Mutex    // name checks and the insert, one sign-up at a time
	hashSlots                                     chan struct{} // bounds concurrent argon2 work (memory)
	dummyHash                                     string        // verified against for unknown names, to equalise timing
}

// maxTrustedPairs bounds the memory of addresses that logged in (~100 B each).
const maxTrustedPairs = 100_000

// newCheckTimeout bounds New's look at the schema; New takes no context.
const newCheckTimeout = 30 * time.Second

// New returns a service over db, a store's database (its DB()), whose
// migrations created the accounts tables; it fails if they are missing.
func New(db *sql.DB, d Dialect, opts Options) (*Service, error) {
	if d != SQLite && d != Postgres {
		return nil, fmt.Errorf("new account service: unknown dialect %q", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), newCheckTimeout)
	defer cancel()
	if err := checkTables(ctx, db, d); err != nil {
		return nil, fmt.Errorf("new account service: %w", err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Hash == (HashParams{}) {
		opts.Hash = DefaultHashParams
	}
	def := func(v *int, x int) {
		if *v <= 0 {
			*v = x
		}
	}
	defd := func(v *time.Duration, x time.Duration) {
		if *v <= 0 {
			*v = x
		}
	}
	defd(&opts.SessionTTL, 30*24*time.Hour)
	defd(&opts.EditWindow, 15*time.Minute)
	def(&opts.LoginPerAccount, 5)
	def(&opts.LoginPerAddress, 20)
	defd(&opts.LoginAccountEvery, time.Minute)
	defd(&opts.LoginAddressEvery, 15*time.Second)
	def(&opts.CommentBurst, 5)
	defd(&opts.CommentEvery, 12*time.Second)
	def(&opts.SignupBurst, 5)
	defd(&opts.SignupEvery, 10*time.Minute)

	dummy, err := HashPassword("dateline-timing-equaliser", opts.Hash)
	if err != nil {
		return nil, err
	}
	return &Service{
		db: db, rdb: cmp.Or(opts.ReadDB, db), d: d, opts: opts,
		loginAccount: newLimiter(opts.LoginAccountEvery, opts.LoginPerAccount),
		loginAddress: newLimiter(opts.LoginAddressEvery, opts.LoginPerAddress),
		loginPair:    newLimiter(opts.LoginAccountEvery, opts.LoginPerAccount),
		trusted:      newTrustedPairs(opts.SessionTTL, maxTrustedPairs),
		comments:     newLimiter(opts.CommentEvery, opts.CommentBurst),
		signups:      newLimiter(opts.SignupEvery, opts.SignupBurst),
		hashSlots:    make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		dummyHash:    dummy,
	}, nil
}

// Now is the service's clock, in UTC.
func (s *Service) Now() time.Time { return s.opts.Now().UTC() }

// EditWindow is how long after posting a comment may be edited.
func (s *Service) EditWindow() time.Duration { return s.opts.EditWindow }

// SessionTTL is how long a session lives after log-in.
func (s *Service) SessionTTL() time.Duration { return s.opts.SessionTTL }

// micros and fromMicros store times as Unix microseconds (UTC).
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}
