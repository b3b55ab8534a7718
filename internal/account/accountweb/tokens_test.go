package accountweb

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAPITokensOnAccountPage creates a token on /account, sees its secret
// once, uses it, and revokes it; another reader cannot revoke it, and a
// cross-site form post is refused.
func TestAPITokensOnAccountPage(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Options{}, false)
	ann, bob := e.signup("ann"), e.signup("bob")

	if r := e.post(ann, "/account/tokens", url.Values{"name": {"  "}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("token without a name: %d", r.StatusCode)
	}
	r := e.post(ann, "/account/tokens", url.Values{"name": {"feed reader <script>"}})
	if r.StatusCode != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create token: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	secret := regexp.MustCompile(`dl_[A-Za-z0-9_-]{43}`).FindString(r.body)
	if secret == "" {
		t.Fatalf("the new token's secret is not on the page:\n%s", r.body)
	}
	if strings.Contains(r.body, "<script>") {
		t.Error("token name not escaped")
	}
	u, err := e.svc.UserByToken(ctx, secret)
	if err != nil || u.Username != "ann" {
		t.Fatalf("UserByToken = %+v, %v", u, err)
	}
	page := e.get(ann, "/account").body
	if strings.Contains(page, secret) || !strings.Contains(page, "feed reader &lt;script&gt;") {
		t.Errorf("account page afterwards: secret shown again or name missing:\n%s", page)
	}
	// The secret is nowhere in the database.
	var n int
	if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE hash = ? OR name = ?`, secret, secret).Scan(&n); err != nil || n != 0 {
		t.Errorf("secret stored in clear: %d, %v", n, err)
	}

	toks, err := e.svc.Tokens(ctx, u.ID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("Tokens = %v, %v", toks, err)
	}
	revoke := "/account/tokens/" + strconv.FormatInt(toks[0].ID, 10) + "/revoke"
	if r := e.post(bob, revoke, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("bob revoking ann's token: %d", r.StatusCode)
	}
	if r := e.post(ann, revoke, nil, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site revoke: %d", r.StatusCode)
	}
	if _, err := e.svc.UserByToken(ctx, secret); err != nil {
		t.Fatalf("token dead before its owner revoked it: %v", err)
	}
	if r := e.post(ann, revoke, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", r.StatusCode, r.body)
	}
	if _, err := e.svc.UserByToken(ctx, secret); err == nil {
		t.Error("revoked token still works")
	}
	if page := e.get(ann, "/account").body; !strings.Contains(page, "revoked") {
		t.Error("account page does not show the token as revoked")
	}
}
