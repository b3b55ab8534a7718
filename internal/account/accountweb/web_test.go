package accountweb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/account"
)

func TestStoredXSSIsInert(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann := e.signup("ann")
	payloads := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`"><svg onload=alert(1)>`,
		`javascript:alert(1)`,
		`https://example.org/"onmouseover="alert(1)`,
		`</textarea><script>alert(2)</script>`,
	}
	for _, p := range payloads {
		e.comment(ann, 1, 0, p)
		e.clk.Add(12 * time.Second) // stay under the posting rate limit
	}
	// A name that slipped past validation (older data, direct SQL) is escaped too.
	if _, err := e.db.Exec(`UPDATE users SET username = ? WHERE username = 'ann'`, `<b onclick=alert(3)>ann</b>`); err != nil {
		t.Fatal(err)
	}
	page := e.get(ann, "/story/1").body
	for _, bad := range []string{"<script>", "<img", "<svg", `href="javascript:`, "<b onclick", `"onmouseover="`} {
		if strings.Contains(page, bad) {
			t.Errorf("story page contains %q live", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b onclick=alert(3)&gt;ann&lt;/b&gt;",
		`<a href="https://example.org/" rel="nofollow ugc">`} {
		if !strings.Contains(page, want) {
			t.Errorf("story page lacks %q", want)
		}
	}
	// The edit form puts the text back inside a textarea: it must not break out.
	r := e.get(ann, "/comments/6/edit")
	if r.StatusCode != 200 || strings.Contains(r.body, "<script>alert(2)") || !strings.Contains(r.body, "&lt;/textarea&gt;&lt;script&gt;") {
		t.Errorf("edit form: %d, live payload present: %v", r.StatusCode, strings.Contains(r.body, "<script>alert(2)"))
	}
	// Sign-up refuses markup in names, and echoes it back escaped.
	r = e.post(e.client(), "/signup", url.Values{"username": {`<script>x</script>`}, "password": {testPassword}})
	if r.StatusCode != http.StatusUnprocessableEntity || strings.Contains(r.body, "<script>x") || !strings.Contains(r.body, "Username may use only") {
		t.Errorf("markup username: %d", r.StatusCode)
	}
	// JSON: the body comes back verbatim and typed as JSON.
	api := e.get(e.client(), "/api/v1/stories/1/comments")
	if ct := api.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("API content type %q", ct)
	}
	var out struct{ Comments []struct{ Body string } }
	if err := json.Unmarshal([]byte(api.body), &out); err != nil || len(out.Comments) != len(payloads) || out.Comments[0].Body != payloads[0] {
		t.Errorf("API = %s (%v)", api.body, err)
	}
	if strings.Contains(api.body, "<script>") {
		t.Error("API body has a raw <script> (should be \\u003c escaped)")
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann := e.signup("ann")
	form := url.Values{"kind": {"story"}, "target": {"1"}, "parent": {"0"}, "body": {"forged"}}
	for _, tc := range []struct {
		name string
		hdr  []string
		want int
	}{
		{"sec-fetch-site cross-site", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"sec-fetch-site same-site", []string{"Sec-Fetch-Site", "same-site", "Origin", "https://sub.evil.example"}, http.StatusForbidden},
		{"origin only", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"same origin", nil, http.StatusSeeOther},
	} {
		r := e.post(ann, "/comments", form, tc.hdr...)
		if r.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, r.StatusCode, tc.want)
		}
	}
	var n int
	e.db.QueryRow(`SELECT COUNT(*) FROM comments`).Scan(&n)
	if n != 1 {
		t.Errorf("%d comments stored, want only the same-origin one", n)
	}
	// Log-out and log-in are state changes too.
	tok := e.cookie(ann)
	e.post(ann, "/logout", nil, "Sec-Fetch-Site", "cross-site")
	if _, err := e.svc.SessionUser(context.Background(), tok); err != nil {
		t.Errorf("cross-site log-out ended the session: %v", err)
	}
	r := e.post(e.client(), "/login", url.Values{"username": {"ann"}, "password": {testPassword}}, "Sec-Fetch-Site", "cross-site")
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site log-in: %d", r.StatusCode)
	}
}

func TestOthersCommentsAreOffLimits(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann, bob := e.signup("ann"), e.signup("bob")
	id := e.comment(ann, 1, 0, "ann's words")
	for _, tc := range []struct {
		method, path string
	}{
		{"GET", "/comments/%d/edit"},
		{"POST", "/comments/%d/edit"},
		{"POST", "/comments/%d/delete"},
	} {
		var r resp
		if tc.method == "GET" {
			r = e.get(bob, fmt.Sprintf(tc.path, id))
		} else {
			r = e.post(bob, fmt.Sprintf(tc.path, id), url.Values{"body": {"bob's words"}})
		}
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("bob %s %s: %d, want 403", tc.method, tc.path, r.StatusCode)
		}
	}
	var body string
	var deleted int
	e.db.QueryRow(`SELECT body, deleted FROM comments WHERE id = ?`, id).Scan(&body, &deleted)
	if body != "ann's words" || deleted != 0 {
		t.Errorf("after bob's attempts: %q deleted=%d", body, deleted)
	}
	// Bob's page offers him no edit or delete buttons on ann's comment.
	if page := e.get(bob, "/story/1").body; strings.Contains(page, fmt.Sprintf("/comments/%d/edit", id)) || strings.Contains(page, fmt.Sprintf("/comments/%d/delete", id)) {
		t.Error("bob is offered edit/delete on ann's comment")
	}
	if page := e.get(bob, "/story/1").body; strings.Contains(page, "/moderation/") {
		t.Error("a reader is offered moderation buttons")
	}
	// Ann can delete: shown as [deleted], row kept.
	if r := e.post(ann, fmt.Sprintf("/comments/%d/delete", id), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("own delete: %d", r.StatusCode)
	}
	page := e.get(bob, "/story/1").body
	if !strings.Contains(page, "[deleted]") || strings.Contains(page, "ann&#39;s words") {
		t.Error("deleted comment not shown as [deleted]")
	}
}

func TestLoginThrottled(t *testing.T) {
	e := newEnv(t, Options{}, false)
	e.signup("ann")
	c := e.client()
	for i := 0; i < 5; i++ {
		r := e.post(c, "/login", url.Values{"username": {"ann"}, "password": {"wrong password"}})
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong username or password") {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := e.post(c, "/login", url.Values{"username": {"ann"}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: %d, want 429", r.StatusCode)
	}
	ra := r.Header.Get("Retry-After")
	var secs int
	if _, err := fmt.Sscan(ra, &secs); err != nil || secs < 1 || secs > 60 {
		t.Errorf("Retry-After = %q", ra)
	}
	if want := fmt.Sprintf("Too many attempts, try again in %d s", secs); !strings.Contains(r.body, want) {
		t.Errorf("body lacks %q", want)
	}
	if e.cookie(c) != "" {
		t.Error("throttled log-in set a session")
	}
	e.clk.Add(time.Duration(secs) * time.Second)
	if r := e.post(c, "/login", url.Values{"username": {"ann"}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after waiting: %d", r.StatusCode)
	}
}

func TestSQLInjectionStoredVerbatim(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann := e.signup("ann")
	inj := []string{
		`'); DROP TABLE comments; --`,
		`" OR "1"="1`,
		`1; UPDATE users SET role='admin' WHERE 1=1; --`,
		`\'; SELECT * FROM user_sessions; --`,
	}
	for _, s := range inj {
		e.comment(ann, 1, 0, s)
	}
	r := e.post(e.client(), "/login", url.Values{"username": {`ann' OR '1'='1' --`}, "password": {`' OR '1'='1`}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("injection log-in: %d", r.StatusCode)
	}
	var out struct{ Comments []struct{ Body string } }
	api := e.get(ann, "/api/v1/stories/1/comments")
	if err := json.Unmarshal([]byte(api.body), &out); err != nil || len(out.Comments) != len(inj) {
		t.Fatalf("API: %s %v", api.body, err)
	}
	for i, s := range inj {
		if out.Comments[i].Body != s {
			t.Errorf("comment %d = %q, want %q", i, out.Comments[i].Body, s)
		}
	}
	page := e.get(ann, "/story/1").body
	if !strings.Contains(page, "&#39;); DROP TABLE comments; --") {
		t.Error("page does not show the injection text verbatim")
	}
	u, err := e.svc.UserByName(context.Background(), "ann")
	if err != nil || u.Role != account.Reader {
		t.Errorf("ann = %+v, %v", u, err)
	}
}

func TestCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tls, trust bool
		proto      string
		secure     bool
	}{
		{"plain http", false, false, "", false},
		{"tls", true, false, "", true},
		{"trusted proxy https", false, true, "https", true},
		{"trusted proxy http", false, true, "http", false},
		{"untrusted forwarded proto", false, false, "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, Options{TrustProxy: tc.trust}, tc.tls)
			r := e.post(e.client(), "/signup", url.Values{"username": {"ann"}, "password": {testPassword}}, "X-Forwarded-Proto", tc.proto)
			var ck *http.Cookie
			for _, c := range r.Cookies() {
				if c.Name == "dateline_session" {
					ck = c
				}
			}
			if ck == nil {
				t.Fatalf("no session cookie (status %d)", r.StatusCode)
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure || ck.Path != "/" {
				t.Errorf("cookie HttpOnly=%v SameSite=%v Secure=%v Path=%q; want Secure=%v", ck.HttpOnly, ck.SameSite, ck.Secure, ck.Path, tc.secure)
			}
			if len(ck.Value) < 43 {
				t.Errorf("session id %q is short", ck.Value)
			}
		})
	}
}

func TestSessionRotatesAndDies(t *testing.T) {
	e := newEnv(t, Options{}, false)
	c := e.signup("ann")
	first := e.cookie(c)
	if r := e.get(c, "/account"); r.StatusCode != 200 {
		t.Fatalf("account after sign-up: %d", r.StatusCode)
	}
	r := e.post(c, "/login", url.Values{"username": {"ann"}, "password": {testPassword}, "next": {"/account"}})
	second := e.cookie(c)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account" || second == "" || second == first {
		t.Fatalf("log-in: %d to %q, id changed: %v", r.StatusCode, r.Header.Get("Location"), second != first)
	}
	stale := e.client()
	u, _ := url.Parse(e.srv.URL)
	stale.Jar.SetCookies(u, []*http.Cookie{{Name: "dateline_session", Value: first}})
	if r := e.get(stale, "/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("pre-login session id still works: %d", r.StatusCode)
	}
	if r := e.post(c, "/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("log-out: %d", r.StatusCode)
	}
	// Replay the cookie the browser was told to forget: the server has killed it.
	replay := e.client()
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: "dateline_session", Value: second}})
	if r := e.get(replay, "/account"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("session after log-out: %d", r.StatusCode)
	}
	var n int
	e.db.QueryRow(`SELECT COUNT(*) FROM user_sessions`).Scan(&n)
	if n != 0 {
		t.Errorf("%d sessions left after log-out", n)
	}
}

func TestHiddenCommentOnlyForModerators(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann, bob, mia := e.signup("ann"), e.signup("bob"), e.signup("mia")
	e.promote("mia", account.Moderator)
	bad := e.comment(ann, 1, 0, "rude words here")
	e.comment(bob, 1, 0, "civil words")
	if r := e.get(bob, "/moderation"); r.StatusCode != http.StatusForbidden {
		t.Errorf("reader opens moderation: %d", r.StatusCode)
	}
	if r := e.post(bob, "/moderation/hide", url.Values{"id": {fmt.Sprint(bad)}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("reader hides: %d", r.StatusCode)
	}
	if r := e.post(bob, fmt.Sprintf("/comments/%d/report", bad), url.Values{"reason": {"insults"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d %s", r.StatusCode, r.body)
	}
	q := e.get(mia, "/moderation")
	if q.StatusCode != 200 || !strings.Contains(q.body, "rude words here") || !strings.Contains(q.body, "insults") {
		t.Fatalf("queue: %d", q.StatusCode)
	}
	if r := e.post(mia, "/moderation/hide", url.Values{"id": {fmt.Sprint(bad)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide: %d %s", r.StatusCode, r.body)
	}
	for name, c := range map[string]*http.Client{"anonymous": e.client(), "bob": bob, "author": ann} {
		if page := e.get(c, "/story/1").body; strings.Contains(page, "rude words") || !strings.Contains(page, "civil words") {
			t.Errorf("%s sees the hidden comment (or not the other)", name)
		}
		if api := e.get(c, "/api/v1/stories/1/comments").body; strings.Contains(api, "rude words") {
			t.Errorf("%s gets the hidden comment from the API", name)
		}
	}
	page := e.get(mia, "/story/1").body
	if !strings.Contains(page, "rude words") || !strings.Contains(page, "hidden by a moderator") {
		t.Error("moderator does not see the hidden comment marked")
	}
	var body string
	var hidden int
	if err := e.db.QueryRow(`SELECT body, hidden FROM comments WHERE id = ?`, bad).Scan(&body, &hidden); err != nil || body != "rude words here" || hidden != 1 {
		t.Errorf("stored row: %q hidden=%d %v", body, hidden, err)
	}
	// Restore from the story page itself: the button is there and comes back.
	if !strings.Contains(page, `action="/moderation/restore"`) {
		t.Error("moderator has no restore button on the page")
	}
	r := e.post(mia, "/moderation/restore", url.Values{"id": {fmt.Sprint(bad)}, "next": {"/story/1"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/story/1#c%d", bad) {
		t.Fatalf("restore: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if page := e.get(bob, "/story/1").body; !strings.Contains(page, "rude words") {
		t.Error("restored comment not shown")
	}
}

func TestSuspendedUserCannotPost(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann, mia := e.signup("ann"), e.signup("mia")
	e.promote("mia", account.Moderator)
	e.comment(ann, 1, 0, "before")
	tok := e.cookie(ann)
	if r := e.post(mia, "/moderation/suspend", url.Values{"user": {"ann"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: %d %s", r.StatusCode, r.body)
	}
	r := e.post(ann, "/comments", url.Values{"kind": {"story"}, "target": {"1"}, "body": {"after"}})
	if r.StatusCode == http.StatusSeeOther && !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("suspended post accepted: %s", r.Header.Get("Location"))
	}
	// Even a session that somehow survived cannot post: the service checks the account.
	if _, err := e.svc.Post(context.Background(), account.User{ID: 1, Username: "ann"}, "story", 1, 0, "direct"); err != account.ErrSuspended {
		t.Errorf("service post by suspended user: %v", err)
	}
	if _, err := e.svc.SessionUser(context.Background(), tok); err == nil {
		t.Error("suspended user's session still alive")
	}
	r = e.post(e.client(), "/login", url.Values{"username": {"ann"}, "password": {testPassword}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "suspended") {
		t.Errorf("suspended log-in: %d", r.StatusCode)
	}
	var n int
	e.db.QueryRow(`SELECT COUNT(*) FROM comments`).Scan(&n)
	if n != 1 {
		t.Errorf("%d comments stored, want 1", n)
	}
}

func TestEditWindow(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann := e.signup("ann")
	id := e.comment(ann, 1, 0, "first draft")
	e.clk.Add(14 * time.Minute)
	if r := e.post(ann, fmt.Sprintf("/comments/%d/edit", id), url.Values{"body": {"second draft"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit at 14 min: %d", r.StatusCode)
	}
	e.clk.Add(2 * time.Minute)
	if r := e.get(ann, fmt.Sprintf("/comments/%d/edit", id)); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "15 minutes") {
		t.Errorf("edit form at 16 min: %d", r.StatusCode)
	}
	if r := e.post(ann, fmt.Sprintf("/comments/%d/edit", id), url.Values{"body": {"third draft"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("edit at 16 min: %d", r.StatusCode)
	}
	page := e.get(ann, "/story/1").body
	if !strings.Contains(page, "second draft") || strings.Contains(page, "third draft") || !strings.Contains(page, "(edited)") {
		t.Error("page does not show the in-window edit only")
	}
	if strings.Contains(page, fmt.Sprintf("/comments/%d/edit", id)) {
		t.Error("edit link offered after the window")
	}
}

func TestRefusedCommentKeepsText(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann := e.signup("ann")
	long := strings.Repeat("word ", 1000) + "tail<&>"
	for _, tc := range []struct {
		body   string
		status int
		msg    string
		keep   string
	}{
		{long, http.StatusUnprocessableEntity, "the limit is 5000", "word word tail&lt;&amp;&gt;"},
		{"   \n  ", http.StatusUnprocessableEntity, "The comment is empty.", ""},
	} {
		r := e.post(ann, "/comments", url.Values{"kind": {"story"}, "target": {"1"}, "body": {tc.body}})
		if r.StatusCode != tc.status || !strings.Contains(r.body, tc.msg) || !strings.Contains(r.body, tc.keep) {
			t.Errorf("body %.10q: %d, message %v, text kept %v", tc.body, r.StatusCode, strings.Contains(r.body, tc.msg), strings.Contains(r.body, tc.keep))
		}
	}
	// Posting too fast: 429 with the text kept.
	for i := 0; i < 5; i++ {
		e.comment(ann, 1, 0, fmt.Sprint("quick ", i))
	}
	r := e.post(ann, "/comments", url.Values{"kind": {"story"}, "target": {"1"}, "body": {"one too many"}})
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(r.body, "one too many") || !strings.Contains(r.body, "posting too fast") {
		t.Errorf("rate limited comment: %d", r.StatusCode)
	}
}

func TestSectionAndAPI(t *testing.T) {
	e := newEnv(t, Options{}, false)
	anon := e.client()
	page := e.get(anon, "/story/1").body
	if !strings.Contains(page, "No comments yet") || !strings.Contains(page, "Log in to comment") || !strings.Contains(page, `/login?next=%2fstory%2f1`) {
		t.Errorf("empty section for anonymous reader:\n%s", page)
	}
	ann, bob := e.signup("ann"), e.signup("bob")
	if page := e.get(ann, "/story/1").body; !strings.Contains(page, `<textarea name="body"`) || strings.Contains(page, "Log in to comment") {
		t.Error("signed-in reader gets no form")
	}
	a := e.comment(ann, 1, 0, "alpha-one")
	e.clk.Add(time.Second)
	b := e.comment(bob, 1, 0, "beta-two")
	e.clk.Add(time.Second)
	rep := e.comment(bob, 1, a, "a reply")
	e.comment(ann, 2, 0, "elsewhere")

	var out struct {
		Comments []struct {
			ID       int64  `json:"id"`
			Author   string `json:"author"`
			Body     string `json:"body"`
			Created  string `json:"created"`
			ParentID int64  `json:"parent_id"`
			Replies  []struct {
				ID       int64 `json:"id"`
				ParentID int64 `json:"parent_id"`
			} `json:"replies"`
		} `json:"comments"`
	}
	r := e.get(anon, "/api/v1/stories/1/comments?order=newest")
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Comments) != 2 || out.Comments[0].ID != b || out.Comments[1].ID != a || out.Comments[1].Author != "ann" ||
		len(out.Comments[1].Replies) != 1 || out.Comments[1].Replies[0].ID != rep || out.Comments[1].Replies[0].ParentID != a {
		t.Errorf("API = %s", r.body)
	}
	if _, err := time.Parse(time.RFC3339, out.Comments[0].Created); err != nil {
		t.Errorf("created %q: %v", out.Comments[0].Created, err)
	}
	if r := e.get(anon, "/api/v1/stories/x/comments"); r.StatusCode != http.StatusNotFound {
		t.Errorf("bad id: %d", r.StatusCode)
	}
	counts, err := e.svc.Counts(context.Background(), account.KindStory, []int64{1, 2, 3})
	if err != nil || counts[1] != 3 || counts[2] != 1 || counts[3] != 0 {
		t.Errorf("counts = %v %v", counts, err)
	}
	page = e.get(anon, "/story/1?order=newest").body
	if strings.Index(page, "beta-two") > strings.Index(page, "alpha-one") {
		t.Error("newest first not honoured")
	}
	if !strings.Contains(page, "3 comments") {
		t.Error("section heading lacks the count")
	}
}

func TestRedirectsStayOnSite(t *testing.T) {
	e := newEnv(t, Options{}, false)
	e.signup("ann")
	for _, next := range []string{"//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "/story/1"} {
		r := e.post(e.client(), "/login", url.Values{"username": {"ann"}, "password": {testPassword}, "next": {next}})
		want := "/"
		if next == "/story/1" {
			want = next
		}
		if loc := r.Header.Get("Location"); loc != want {
			t.Errorf("next=%q redirected to %q, want %q", next, loc, want)
		}
	}
}

func TestFollowsAndPassword(t *testing.T) {
	e := newEnv(t, Options{}, false)
	ann := e.signup("ann")
	for _, f := range []url.Values{
		{"kind": {"topic"}, "value": {"#Climate"}, "next": {"/account"}},
		{"kind": {"source"}, "value": {"42"}, "next": {"/sources/42"}},
	} {
		if r := e.post(ann, "/follow", f); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("follow %v: %d", f, r.StatusCode)
		}
	}
	if r := e.post(ann, "/follow", url.Values{"kind": {"source"}, "value": {"1 OR 1=1"}, "next": {"/account"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad follow: %d", r.StatusCode)
	}
	u, _ := e.svc.UserByName(context.Background(), "ann")
	topics, sources, err := e.svc.Follows(context.Background(), u.ID)
	if err != nil || fmt.Sprint(topics, sources) != "[climate] [42]" {
		t.Errorf("follows = %v %v %v", topics, sources, err)
	}
	if page := e.get(ann, "/account").body; !strings.Contains(page, "#climate") {
		t.Error("account page lacks the topic")
	}
	before := e.cookie(ann)
	r := e.post(ann, "/account/password", url.Values{"old": {testPassword}, "password": {"a new password"}, "again": {"a new password"}})
	if r.StatusCode != http.StatusSeeOther || e.cookie(ann) == before {
		t.Fatalf("change password: %d", r.StatusCode)
	}
	if r := e.post(e.client(), "/login", url.Values{"username": {"ann"}, "password": {"a new password"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("log in with new password: %d", r.StatusCode)
	}
}
