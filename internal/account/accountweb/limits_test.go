package accountweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/dateline-news/dateline/internal/account"
)

// concurrently runs n requests that all start at once (a barrier, no sleeps)
// and counts their statuses.
func concurrently(t *testing.T, n int, do func(i int) int) map[int]int {
	t.Helper()
	start := make(chan struct{})
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = do(i)
		})
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	return counts
}

// Limits are reserved before the password hash, so concurrent attempts
// cannot all slip past a check made before any of them was recorded.
func TestLoginLimitsHoldUnderConcurrency(t *testing.T) {
	for _, tc := range []struct {
		name     string
		username func(i int) string
		want     map[int]int
	}{
		// Per account (5): one account, one address.
		{"one account", func(int) string { return "ann" }, map[int]int{401: 5, 429: 45}},
		// Per address (20): fifty accounts (most of them unknown), one address.
		{"one address", func(i int) string { return fmt.Sprintf("user%d", i) }, map[int]int{401: 20, 429: 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, Options{}, false)
			e.signup("ann")
			got := concurrently(t, 50, func(i int) int {
				r := e.post(e.client(), "/login", url.Values{"username": {tc.username(i)}, "password": {"wrong password"}})
				return r.StatusCode
			})
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSignUpLimitHoldsUnderConcurrency(t *testing.T) {
	e := newEnvAccounts(t, Options{}, false, account.Options{SignupBurst: 5})
	got := concurrently(t, 20, func(i int) int {
		r := e.post(e.client(), "/signup", url.Values{"username": {fmt.Sprintf("reader-%c", 'a'+i)}, "password": {testPassword}})
		return r.StatusCode
	})
	if got[http.StatusSeeOther] != 5 || got[http.StatusTooManyRequests] != 15 {
		t.Errorf("statuses %v, want 5 sign-ups and 15 refusals", got)
	}
	var n int
	if err := e.db.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n != 5 {
		t.Errorf("%d accounts created (%v), want 5", n, err)
	}
	// A refused form does not use up the allowance.
	e2 := newEnvAccounts(t, Options{}, false, account.Options{SignupBurst: 1})
	if r := e2.post(e2.client(), "/signup", url.Values{"username": {"ann"}, "password": {"password12"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("weak password: %d", r.StatusCode)
	}
	if r := e2.post(e2.client(), "/signup", url.Values{"username": {"ann"}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-up after a refused form: %d", r.StatusCode)
	}
}

// Nobody can lock an owner out: failures from other addresses throttle the
// account for strangers only, and the owner's address still logs in.
func TestOwnerNotLockedOut(t *testing.T) {
	e := newEnv(t, Options{TrustProxy: true}, false)
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	owner := e.client()
	if r := e.post(owner, "/signup", url.Values{"username": {"ann"}, "password": {testPassword}}, from("192.0.2.10")...); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign up: %d", r.StatusCode)
	}
	got := concurrently(t, 30, func(i int) int {
		return e.post(e.client(), "/login", url.Values{"username": {"ann"}, "password": {"wrong password"}},
			from(fmt.Sprintf("198.51.100.%d", i))...).StatusCode
	})
	if got[401] != 5 || got[429] != 25 {
		t.Errorf("strangers' statuses %v, want 5×401 and 25×429", got)
	}
	if r := e.post(e.client(), "/login", url.Values{"username": {"ann"}, "password": {testPassword}}, from("203.0.113.5")...); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password from a new address while throttled: %d, want 429", r.StatusCode)
	}
	if r := e.post(owner, "/login", url.Values{"username": {"ann"}, "password": {testPassword}}, from("192.0.2.10")...); r.StatusCode != http.StatusSeeOther {
		t.Errorf("owner at the sign-up address: %d, want 303", r.StatusCode)
	}
}

func TestWeakPasswordAndLookalikeRefused(t *testing.T) {
	e := newEnv(t, Options{}, false)
	e.signup("admin")
	for _, tc := range []struct {
		name, pw string
		status   int
		msg      string
	}{
		{"reader", "password12", http.StatusUnprocessableEntity, "too common"},
		{"reader", "            ", http.StatusUnprocessableEntity, "only spaces"},
		{"adm1n", testPassword, http.StatusConflict, "looks too much like an existing one"},
		{"admln", testPassword, http.StatusConflict, "looks too much like an existing one"},
		{"ADMIN", testPassword, http.StatusConflict, "taken"},
	} {
		r := e.post(e.client(), "/signup", url.Values{"username": {tc.name}, "password": {tc.pw}})
		if r.StatusCode != tc.status || !strings.Contains(r.body, tc.msg) {
			t.Errorf("sign up %q/%q: %d, want %d with %q", tc.name, tc.pw, r.StatusCode, tc.status, tc.msg)
		}
	}
	var n int
	e.db.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&n)
	if n != 1 {
		t.Errorf("%d accounts, want only admin", n)
	}
}
