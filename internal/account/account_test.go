package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var fastHash = HashParams{Memory: 1024, Time: 1, Threads: 1}

func newTestService(t *testing.T, tdb testDB) (*Service, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s, err := New(tdb.db, tdb.dialect, Options{ReadDB: tdb.rdb, Now: clk.Now, Hash: fastHash})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

func mustUser(t *testing.T, s *Service, name string, role Role) User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), name, "correct horse battery", role)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return u
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery", fastHash)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q does not encode its parameters", h)
	}
	h2, _ := HashPassword("correct horse battery", fastHash)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		pw, hash string
		ok       bool
		err      bool
	}{
		{"correct horse battery", h, true, false},
		{"correct horse batterY", h, false, false},
		{"", h, false, false},
		{"correct horse battery", strings.Replace(h, "argon2id", "argon2i", 1), false, true},
		{"correct horse battery", strings.Replace(h, "m=1024", "m=999999999", 1), false, true},
		{"correct horse battery", "plaintext", false, true},
	} {
		ok, err := CheckPassword(tc.pw, tc.hash)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("CheckPassword(%q, %q) = %v, %v; want %v, err %v", tc.pw, tc.hash, ok, err, tc.ok, tc.err)
		}
	}
}

func TestValidation(t *testing.T) {
	const good = "tulip river 7"
	for _, tc := range []struct {
		name, pw, email string
		ok              bool
	}{
		{"ann", good, "", true},
		{"a_b-C9", good, "a@example.org", true},
		{strings.Repeat("x", 32), strings.Repeat("pqrst", 51) + "u", "", true},
		{"ann", "correct horse battery", "", true},
		{"ab", good, "", false},
		{strings.Repeat("x", 33), good, "", false},
		{"<script>", good, "", false},
		{"ann bob", good, "", false},
		{"anné", good, "", false},
		{"ann", "tulip rvr", "", false}, // 9 characters
		{"ann", strings.Repeat("pqrst", 51) + "uv", "", false},
		{"ann", good, "not an email", false},
		// Weak passwords that are long enough.
		{"ann", "password12", "", false},
		{"ann", "Password12!", "", false},
		{"ann", "123dragon456", "", false},
		{"ann", "pass word 12", "", false},
		{"ann", strings.Repeat(" ", 12), "", false},
		{"ann", "\t\n \u00a0\u2003 \t\n \t\n", "", false},
		{"ann", "0123456789", "", false},
		{"ann", "9876543210", "", false},
		{"ann", "abcdefghijkl", "", false},
		{"ann", "aaaaaaaaaaaa", "", false},
		{"ann", "abcabcabcabc", "", false},
		{"ann", "qwertyuiop", "", false},
		{"ann", "aAaAaAbBbB", "", false}, // two different letters
	} {
		err := ValidateUsername(tc.name)
		if err == nil {
			err = ValidatePassword(tc.pw)
		}
		if err == nil {
			_, err = normaliseEmail(tc.email)
		}
		var inv *InvalidError
		if (err == nil) != tc.ok || err != nil && !errors.As(err, &inv) {
			t.Errorf("%q/%q/%q: err %v, want ok=%v", tc.name, tc.pw, tc.email, err, tc.ok)
		}
	}
}

func TestWeakPasswordsRefusedEverywhere(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, sqliteOnly(t))
	ann := mustUser(t, s, "ann", Reader)
	for _, pw := range []string{"password12", strings.Repeat(" ", 12), "carolcarol1", "I am CAROL!!"} {
		var inv *InvalidError
		if _, err := s.SignUp(ctx, "carol", pw, "", "10.0.0.1"); !errors.As(err, &inv) {
			t.Errorf("sign up with %q: %v", pw, err)
		}
		if _, err := s.CreateUser(ctx, "carol", pw, Reader); !errors.As(err, &inv) {
			t.Errorf("create with %q: %v", pw, err)
		}
	}
	for _, pw := range []string{"password12", strings.Repeat(" ", 12), "annann12345", "my name is ANN!"} {
		var inv *InvalidError
		if _, err := s.ChangePassword(ctx, ann.ID, "correct horse battery", pw); !errors.As(err, &inv) {
			t.Errorf("change to %q: %v", pw, err)
		}
		if err := s.SetPassword(ctx, "ann", pw); !errors.As(err, &inv) {
			t.Errorf("set %q: %v", pw, err)
		}
	}
	if _, err := s.UserByName(ctx, "carol"); !errors.Is(err, ErrNotFound) {
		t.Errorf("an account was created with a weak password: %v", err)
	}
	if _, _, err := s.Login(ctx, "ann", "correct horse battery", "10.0.0.1", ""); err != nil {
		t.Errorf("a refused change replaced the password: %v", err)
	}
}

func TestLookalikeNames(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, sqliteOnly(t))
	mustUser(t, s, "admin", Admin)
	mustUser(t, s, "Moll0y", Reader)
	for _, tc := range []struct {
		name string
		want error // nil: created
	}{
		{"ADMIN", ErrNameTaken},
		{"adm1n", ErrNameLookalike},
		{"admln", ErrNameLookalike},
		{"ADMLN", ErrNameLookalike},
		{"adrnin", ErrNameLookalike},
		{"molloy", ErrNameLookalike},
		{"m0ll0y", ErrNameLookalike},
		{"mo11oy", ErrNameLookalike},
		{"admins", nil},
		{"madmin", nil},
		{"molly", nil},
	} {
		_, err := s.SignUp(ctx, tc.name, "tulip river 7", "", "")
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("sign up %q: %v, want %v", tc.name, err, tc.want)
		}
		_, err = s.UserByName(ctx, tc.name)
		if created := err == nil && !strings.EqualFold(tc.name, "admin"); created != (tc.want == nil) {
			t.Errorf("%q created = %v, want %v", tc.name, created, tc.want == nil)
		}
	}
}

func TestNormaliseBody(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"  hello\r\nworld  ", "hello\nworld", ""},
		{"a\x00b\x07c", "abc", ""},
		{" \n\t ", "", "empty"},
		{strings.Repeat("é", MaxComment), strings.Repeat("é", MaxComment), ""},
		{strings.Repeat("é", MaxComment+1), "", "limit is 5000"},
		{"\xff\xfe", "", "not valid text"},
	} {
		got, err := NormaliseBody(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("NormaliseBody(%.20q) err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormaliseBody(%.20q) = %.20q, %v", tc.in, got, err)
		}
	}
}

func TestUsersAndSessions(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			s, clk := newTestService(t, tdb)
			ann, err := s.SignUp(ctx, "Ann", "correct horse battery", "ann@example.org", "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if ann.Role != Reader || ann.ID == 0 {
				t.Errorf("sign-up gave %+v", ann)
			}
			if _, err := s.SignUp(ctx, "ANN", "correct horse battery", "", "10.0.0.1"); !errors.Is(err, ErrNameTaken) {
				t.Errorf("duplicate name (other case): %v", err)
			}
			if _, _, err := s.Login(ctx, "ann", "wrong password!", "10.0.0.1", ""); !errors.Is(err, ErrBadLogin) {
				t.Errorf("wrong password: %v", err)
			}
			if _, _, err := s.Login(ctx, "nobody", "correct horse battery", "10.0.0.1", ""); !errors.Is(err, ErrBadLogin) {
				t.Errorf("unknown user: %v", err)
			}
			u, tok1, err := s.Login(ctx, "ann", "correct horse battery", "10.0.0.1", "")
			if err != nil || u.ID != ann.ID {
				t.Fatalf("login: %v %+v", err, u)
			}
			var stored string
			if err := tdb.db.QueryRow(`SELECT id_hash FROM user_sessions`).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(stored, tok1) || stored != tokenHash(tok1) {
				t.Errorf("session table holds %q for token %q: want only its hash", stored, tok1)
			}
			_, tok2, err := s.Login(ctx, "ann", "correct horse battery", "10.0.0.1", tok1)
			if err != nil || tok2 == tok1 {
				t.Fatalf("second login: %v (same token %v)", err, tok2 == tok1)
			}
			if _, err := s.SessionUser(ctx, tok1); !errors.Is(err, ErrNoSession) {
				t.Errorf("previous session still alive after log-in: %v", err)
			}
			if got, err := s.SessionUser(ctx, tok2); err != nil || got.Username != "Ann" {
				t.Errorf("session user: %+v %v", got, err)
			}
			clk.Add(s.SessionTTL() + time.Second)
			if _, err := s.SessionUser(ctx, tok2); !errors.Is(err, ErrNoSession) {
				t.Errorf("expired session alive: %v", err)
			}
			_, tok3, _ := s.Login(ctx, "ann", "correct horse battery", "10.0.0.1", "")
			if _, err := s.ChangePassword(ctx, ann.ID, "bad old password", "new password 123"); err == nil {
				t.Error("password changed with a wrong old password")
			}
			tok4, err := s.ChangePassword(ctx, ann.ID, "correct horse battery", "new password 123")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SessionUser(ctx, tok3); err == nil {
				t.Error("old session survives a password change")
			}
			if _, err := s.SessionUser(ctx, tok4); err != nil {
				t.Errorf("new session after password change: %v", err)
			}
			if _, _, err := s.Login(ctx, "ann", "new password 123", "10.0.0.2", ""); err != nil {
				t.Errorf("login with new password: %v", err)
			}
			if err := s.Promote(ctx, "ann", Moderator); err != nil {
				t.Fatal(err)
			}
			mustUser(t, s, "bob", Reader)
			if err := s.Suspend(ctx, "bob", true); err != nil {
				t.Fatal(err)
			}
			list, err := s.ListUsers(ctx)
			if err != nil || len(list) != 2 || list[0].Role != Moderator || !list[1].Suspended {
				t.Errorf("list = %+v, %v", list, err)
			}
			if _, _, err := s.Login(ctx, "bob", "correct horse battery", "10.0.0.3", ""); !errors.Is(err, ErrSuspended) {
				t.Errorf("suspended login: %v", err)
			}
		})
	}
}

func TestLoginThrottle(t *testing.T) {
	ctx := context.Background()
	tdb := sqliteOnly(t)
	s, clk := newTestService(t, tdb)
	mustUser(t, s, "ann", Reader)
	for i := 0; i < 5; i++ {
		if _, _, err := s.Login(ctx, "ann", "wrong password", fmt.Sprintf("10.0.1.%d", i), ""); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// The account is throttled from any address, even with the right password.
	_, _, err := s.Login(ctx, "ann", "correct horse battery", "10.9.9.9", "")
	var le *LimitError
	if !errors.As(err, &le) || le.Seconds() < 1 || le.Seconds() > 60 {
		t.Fatalf("sixth attempt: %v", err)
	}
	clk.Add(le.Wait)
	if _, _, err := s.Login(ctx, "ann", "correct horse battery", "10.9.9.9", ""); err != nil {
		t.Errorf("after waiting %v: %v", le.Wait, err)
	}
	// Per address: many accounts from one address.
	var last error
	for i := 0; i < 25; i++ {
		_, _, last = s.Login(ctx, fmt.Sprintf("user%d", i), "whatever password", "10.6.6.6", "")
	}
	if !errors.As(last, &le) {
		t.Errorf("address not throttled after 25 misses: %v", last)
	}
}

// A stranger's failures throttle the account for other strangers but never
// refuse the owner at an address the owner logged in from; a guesser at that
// address has a limit of its own.
func TestLoginOwnerNotLockedOut(t *testing.T) {
	ctx := context.Background()
	s, clk := newTestService(t, sqliteOnly(t))
	mustUser(t, s, "ann", Reader)
	const pw, home = "correct horse battery", "10.0.0.1"
	if _, _, err := s.Login(ctx, "ann", pw, home, ""); err != nil {
		t.Fatal(err)
	}
	var le *LimitError
	for i := range 6 {
		_, _, err := s.Login(ctx, "ann", "wrong password", "10.6.6.6", "")
		if want := i < 5; errors.Is(err, ErrBadLogin) != want || !want && !errors.As(err, &le) {
			t.Fatalf("stranger's attempt %d: %v", i, err)
		}
	}
	if _, _, err := s.Login(ctx, "ann", pw, "10.7.7.7", ""); !errors.As(err, &le) {
		t.Errorf("another new address is not throttled with the account: %v", err)
	}
	// Successes cost nothing: far more than any limit.
	for i := range 30 {
		if _, _, err := s.Login(ctx, "ann", pw, home, ""); err != nil {
			t.Fatalf("owner's log-in %d at home while the account is throttled: %v", i, err)
		}
	}
	// A guesser at the owner's address gets five tries there, then waits.
	for i := range 6 {
		_, _, err := s.Login(ctx, "ann", "wrong password", home, "")
		if want := i < 5; errors.Is(err, ErrBadLogin) != want || !want && !errors.As(err, &le) {
			t.Fatalf("attempt %d at home: %v", i, err)
		}
	}
	clk.Add(le.Wait)
	if _, _, err := s.Login(ctx, "ann", pw, home, ""); err != nil {
		t.Errorf("after waiting %v: %v", le.Wait, err)
	}
	// Trust lasts SessionTTL after the last success.
	clk.Add(s.SessionTTL())
	for range 5 {
		s.Login(ctx, "ann", "wrong password", "10.6.6.6", "")
	}
	if _, _, err := s.Login(ctx, "ann", pw, home, ""); !errors.As(err, &le) {
		t.Errorf("an address trusted %v ago still skips the account limit: %v", s.SessionTTL(), err)
	}
}

// Sign-up from an address trusts it for that account.
func TestSignUpTrustsAddress(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, sqliteOnly(t))
	if _, err := s.SignUp(ctx, "ann", "correct horse battery", "", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		s.Login(ctx, "ann", "wrong password", "10.6.6.6", "")
	}
	if _, _, err := s.Login(ctx, "ann", "correct horse battery", "10.0.0.1", ""); err != nil {
		t.Errorf("owner refused at the sign-up address: %v", err)
	}
}

// Concurrent posts cannot overrun the comment limit.
func TestCommentRateConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, sqliteOnly(t))
	ann := mustUser(t, s, "ann", Reader)
	start := make(chan struct{})
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			<-start
			_, errs[i] = s.Post(ctx, ann, KindStory, 1, 0, fmt.Sprint("comment ", i))
		})
	}
	close(start)
	wg.Wait()
	posted, limited := 0, 0
	for _, err := range errs {
		var le *LimitError
		switch {
		case err == nil:
			posted++
		case errors.As(err, &le):
			limited++
		default:
			t.Errorf("post: %v", err)
		}
	}
	if posted != 5 || limited != 15 {
		t.Errorf("%d posted, %d limited; want 5 and 15", posted, limited)
	}
}

func TestComments(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			s, clk := newTestService(t, tdb)
			ann := mustUser(t, s, "ann", Reader)
			bob := mustUser(t, s, "bob", Reader)
			mod := mustUser(t, s, "mia", Moderator)
			inj := `'); DROP TABLE comments; -- " OR 1=1`
			c1, err := s.Post(ctx, ann, KindStory, 7, 0, inj)
			if err != nil {
				t.Fatal(err)
			}
			clk.Add(time.Minute)
			c2, err := s.Post(ctx, bob, KindStory, 7, 0, "second")
			if err != nil {
				t.Fatal(err)
			}
			r1, err := s.Post(ctx, bob, KindStory, 7, c1.ID, "reply")
			if err != nil {
				t.Fatal(err)
			}
			// A reply to a reply joins the top-level comment.
			r2, err := s.Post(ctx, ann, KindStory, 7, r1.ID, "reply to reply")
			if err != nil || r2.ParentID != c1.ID {
				t.Fatalf("nested reply: parent %d, %v", r2.ParentID, err)
			}
			if _, err := s.Post(ctx, ann, KindArticle, 7, c1.ID, "wrong target"); err == nil {
				t.Error("reply across targets accepted")
			}
			if _, err := s.Post(ctx, ann, "poll", 7, 0, "x"); !errors.Is(err, ErrBadTarget) {
				t.Errorf("bad kind: %v", err)
			}
			s.Post(ctx, ann, KindArticle, 9, 0, "on an article")

			got, err := s.Comments(ctx, User{}, KindStory, 7, Oldest)
			if err != nil || len(got) != 2 {
				t.Fatalf("comments: %d, %v", len(got), err)
			}
			if got[0].Body != inj || got[0].Author != "ann" || len(got[0].Replies) != 2 || got[0].Replies[1].Body != "reply to reply" {
				t.Errorf("first thread = %+v", got[0])
			}
			newest, _ := s.Comments(ctx, User{}, KindStory, 7, Newest)
			if newest[0].ID != c2.ID {
				t.Errorf("newest first: got %d, want %d", newest[0].ID, c2.ID)
			}
			counts, err := s.Counts(ctx, KindStory, []int64{7, 8})
			if err != nil || counts[7] != 4 || counts[8] != 0 {
				t.Errorf("counts = %v, %v", counts, err)
			}

			// Edits: own only, within the window.
			if _, err := s.Edit(ctx, bob, c1.ID, "bob was here"); !errors.Is(err, ErrForbidden) {
				t.Errorf("edit other's: %v", err)
			}
			if _, err := s.Delete(ctx, bob, c1.ID); !errors.Is(err, ErrForbidden) {
				t.Errorf("delete other's: %v", err)
			}
			clk.Add(13 * time.Minute) // c1 is 14 minutes old
			if e, err := s.Edit(ctx, ann, c1.ID, "edited"); err != nil || e.Body != "edited" || e.Edited.IsZero() {
				t.Errorf("edit in window: %+v %v", e, err)
			}
			clk.Add(2 * time.Minute)
			if _, err := s.Edit(ctx, ann, c1.ID, "too late"); !errors.Is(err, ErrEditExpired) {
				t.Errorf("edit after window: %v", err)
			}
			if _, err := s.Delete(ctx, ann, c1.ID); err != nil {
				t.Fatal(err)
			}
			got, _ = s.Comments(ctx, User{}, KindStory, 7, Oldest)
			if !got[0].Deleted || got[0].Body != "" || len(got[0].Replies) != 2 {
				t.Errorf("deleted comment = %+v", got[0])
			}
			counts, _ = s.Counts(ctx, KindStory, []int64{7})
			if counts[7] != 3 {
				t.Errorf("count after delete = %d", counts[7])
			}

			// Moderation: report, hide, restore; nothing removed.
			if err := s.Report(ctx, ann, c2.ID, "spam"); err != nil {
				t.Fatal(err)
			}
			if err := s.Report(ctx, ann, c2.ID, "spam again"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Queue(ctx, ann); !errors.Is(err, ErrForbidden) {
				t.Errorf("reader reads queue: %v", err)
			}
			rep, _, err := s.Queue(ctx, mod)
			if err != nil || len(rep) != 1 || rep[0].Reports != 1 || rep[0].Comment.ID != c2.ID {
				t.Fatalf("queue = %+v, %v", rep, err)
			}
			if err := s.Hide(ctx, ann, c2.ID); !errors.Is(err, ErrForbidden) {
				t.Errorf("reader hides: %v", err)
			}
			if _, err := s.Post(ctx, ann, KindStory, 7, c2.ID, "reply under c2"); err != nil {
				t.Fatal(err)
			}
			if err := s.Hide(ctx, mod, c2.ID); err != nil {
				t.Fatal(err)
			}
			pub, _ := s.Comments(ctx, bob, KindStory, 7, Oldest)
			for _, c := range pub {
				if c.ID == c2.ID {
					t.Error("hidden comment shown to its author")
				}
			}
			// c2's reply goes out of view, and out of the count, with it.
			if _, err := s.Post(ctx, ann, KindStory, 7, c2.ID, "reply under hidden"); err == nil {
				t.Error("reply to a hidden comment accepted")
			}
			if counts, _ := s.Counts(ctx, KindStory, []int64{7}); counts[7] != 2 {
				t.Errorf("count with c2 hidden = %d, want 2", counts[7])
			}
			modView, _ := s.Comments(ctx, mod, KindStory, 7, Oldest)
			if len(modView) != 2 || !modView[1].Hidden {
				t.Errorf("moderator view = %+v", modView)
			}
			var n int
			tdb.db.QueryRow(`SELECT COUNT(*) FROM comments`).Scan(&n)
			if n != 6 {
				t.Errorf("comments stored = %d, want 6", n)
			}
			rep, hidden, _ := s.Queue(ctx, mod)
			if len(rep) != 0 || len(hidden) != 1 {
				t.Errorf("queue after hide: %d reported, %d hidden", len(rep), len(hidden))
			}
			if err := s.Restore(ctx, mod, c2.ID); err != nil {
				t.Fatal(err)
			}
			if pub, _ := s.Comments(ctx, User{}, KindStory, 7, Oldest); len(pub) != 2 || len(pub[1].Replies) != 1 {
				t.Errorf("restored comment (with its reply) not shown")
			}

			// A merged story takes its comments along.
			if err := s.MoveComments(ctx, KindStory, 7, 70); err != nil {
				t.Fatal(err)
			}
			if counts, _ := s.Counts(ctx, KindStory, []int64{7, 70}); counts[7] != 0 || counts[70] != 4 {
				t.Errorf("counts after move = %v", counts)
			}

			// Suspension stops posting at once.
			if err := s.SuspendAs(ctx, mod, "bob", true); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Post(ctx, bob, KindStory, 7, 0, "still here?"); !errors.Is(err, ErrSuspended) {
				t.Errorf("suspended post: %v", err)
			}
			if err := s.SuspendAs(ctx, mod, "mia", true); !errors.Is(err, ErrForbidden) {
				t.Errorf("self-suspension: %v", err)
			}
		})
	}
}

func TestCommentRate(t *testing.T) {
	ctx := context.Background()
	s, clk := newTestService(t, sqliteOnly(t))
	ann := mustUser(t, s, "ann", Reader)
	for i := 0; i < 5; i++ {
		if _, err := s.Post(ctx, ann, KindStory, 1, 0, fmt.Sprint("comment ", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.Post(ctx, ann, KindStory, 1, 0, "sixth")
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("sixth comment in a minute: %v", err)
	}
	clk.Add(le.Wait)
	if _, err := s.Post(ctx, ann, KindStory, 1, 0, "later"); err != nil {
		t.Errorf("after wait: %v", err)
	}
}

func TestFollows(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			s, _ := newTestService(t, tdb)
			ann := mustUser(t, s, "ann", Reader)
			for _, f := range []struct{ kind, value string }{
				{FollowTopic, "#Climate"}, {FollowTopic, "climate"}, {FollowSource, "12"}, {FollowTopic, "elections"},
			} {
				if err := s.Follow(ctx, ann, f.kind, f.value, true); err != nil {
					t.Fatal(err)
				}
			}
			for _, bad := range []struct{ kind, value string }{
				{FollowSource, "12 OR 1=1"}, {FollowSource, "-3"}, {FollowTopic, ""}, {"user", "bob"},
			} {
				if err := s.Follow(ctx, ann, bad.kind, bad.value, true); err == nil {
					t.Errorf("follow %v accepted", bad)
				}
			}
			s.Follow(ctx, ann, FollowTopic, "elections", false)
			topics, sources, err := s.Follows(ctx, ann.ID)
			if err != nil || fmt.Sprint(topics) != "[climate]" || fmt.Sprint(sources) != "[12]" {
				t.Errorf("follows = %v %v %v", topics, sources, err)
			}
		})
	}
}

func TestConcurrentSignUpOneWins(t *testing.T) {
	ctx := context.Background()
	for _, tdb := range testDBs(t) {
		t.Run(tdb.name, func(t *testing.T) {
			s, _ := newTestService(t, tdb)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Half race for "Same", half for "samee" (names ignore case).
					name := "Same"
					if i%2 == 1 {
						name = "samee"
					}
					_, errs[i] = s.CreateUser(ctx, name, "correct horse battery", Reader)
				}()
			}
			wg.Wait()
			ok, taken := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, ErrNameTaken):
					taken++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			if ok != 2 || taken != 6 {
				t.Errorf("%d created, %d refused; want 2 and 6", ok, taken)
			}
		})
	}
}
