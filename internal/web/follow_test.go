package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// accountsHook is the accounts hook as cmd/dateline wires it: accountweb's
// handler, which also tells who is signed in and what they follow.
type accountsHook struct {
	*accountweb.Handler
	svc *account.Service
}

func (h accountsHook) Reader(r *http.Request) (Reader, bool, error) {
	u, ok := h.User(r)
	if !ok {
		return Reader{}, false, nil
	}
	topics, sources, err := h.svc.Follows(r.Context(), u.ID)
	if err != nil {
		return Reader{}, false, err
	}
	return Reader{Name: u.Username, Topics: topics, Sources: sources}, true, nil
}

func (h accountsHook) APIReader(r *http.Request, token string) (Reader, bool, error) {
	u, ok, err := h.TokenUser(r, token)
	if !ok || err != nil {
		return Reader{}, false, err
	}
	topics, sources, err := h.svc.Follows(r.Context(), u.ID)
	if err != nil {
		return Reader{}, false, err
	}
	return Reader{Name: u.Username, Topics: topics, Sources: sources, Admin: u.Role == account.Admin, Role: string(u.Role)}, true, nil
}

func (h accountsHook) APIFollow(r *http.Request, token, kind, value string, on bool) error {
	u, ok, err := h.TokenUser(r, token)
	if err != nil {
		return err
	}
	if !ok {
		return &InputError{Msg: "invalid API token"}
	}
	err = h.svc.Follow(r.Context(), u, kind, value, on)
	if inv := (*account.InvalidError)(nil); errors.As(err, &inv) {
		return &InputError{Msg: inv.Msg}
	}
	return err
}

// browser is a cookie-keeping client that reports redirects instead of
// following them.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func (b browser) get(path string) (int, string, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

func (b browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

func TestForYou(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	now := time.Now().UTC().Truncate(time.Second)

	src := func(name string) model.Source {
		return must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: name, Country: "GB", Language: "en"}))
	}
	lemonde, bbc, ap := src("Le Monde"), src("BBC"), src("AP")
	feed := func(s model.Source) model.Feed {
		f, _, err := st.AddFeed(ctx, model.Feed{SourceID: s.ID, URL: "https://feeds.example/" + strconv.FormatInt(s.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	// One story per outlet, each with its own hashtag.
	stories := []struct {
		src      model.Source
		headline string
		tag      string
		score    float64
	}{
		{lemonde, "Storm floods the coast", "#Flood", 5},
		{bbc, "Council approves the budget", "#Budget", 8},
		{ap, "Polls open in the election", "#Election", 9},
		{bbc, "Rivers burst their banks", "#Flood", 3}, // both a followed topic and outlet
	}
	for i, s := range stories {
		f := feed(s.src)
		a := model.Article{SourceID: s.src.ID, FeedID: f.ID, URL: "https://news.example/" + strconv.Itoa(i), GUID: strconv.Itoa(i),
			Title: s.headline, Text: s.headline + ".", Published: now.Add(-time.Duration(i+1) * time.Hour), Fetched: now}
		if _, err := st.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		id := int64(i + 1)
		story, err := st.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: id, Reason: "new story", Headline: s.headline})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetStoryScore(ctx, id, s.score); err != nil {
			t.Fatal(err)
		}
		// Insight as computed and cached earlier, so the hashtags are known.
		data, _ := json.Marshal(cachedInsight{View: insightView{Hashtags: []string{s.tag}}})
		if err := st.SaveInsight(ctx, id, insightVersion(story), data); err != nil {
			t.Fatal(err)
		}
	}

	db := st.(interface{ DB() *sql.DB }).DB()
	svc, err := account.New(db, account.SQLite, account.Options{Hash: account.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(st, Options{Comments: accountsHook{accountweb.New(svc, accountweb.Options{}), svc}}))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	noFollow := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: noFollow}, base: srv.URL}

	// Signed out: no link, and the page asks to log in.
	if _, _, body := b.get("/"); strings.Contains(body, `href="/for-you"`) {
		t.Error("signed-out header links to For you")
	}
	if code, loc, _ := b.get("/for-you"); code != http.StatusSeeOther || loc != "/login?next=/for-you" {
		t.Errorf("signed out /for-you: %d to %q, want 303 to /login?next=/for-you", code, loc)
	}

	if code, _ := b.post("/signup", url.Values{"username": {"ann"}, "password": {"correct horse battery"}, "next": {"/for-you"}}); code != http.StatusSeeOther {
		t.Fatalf("sign up: status %d", code)
	}
	_, _, body := b.get("/for-you")
	for _, want := range []string{`<a href="/for-you">For you</a>`, "You don't follow anything yet"} {
		if !strings.Contains(body, want) {
			t.Errorf("empty For you page lacks %q:\n%s", want, body)
		}
	}

	// Follow a topic from its page and an outlet from its page.
	_, _, body = b.get("/topic/flood")
	if !strings.Contains(body, `name="value" value="flood"`) || !strings.Contains(body, `value="follow"`) {
		t.Fatalf("topic page lacks a follow form:\n%s", body)
	}
	if code, loc := b.post("/follow", url.Values{"kind": {"topic"}, "value": {"flood"}, "action": {"follow"}, "next": {"/topic/flood"}}); code != http.StatusSeeOther || loc != "/topic/flood" {
		t.Fatalf("follow topic: %d to %q", code, loc)
	}
	if _, _, body = b.get("/topic/flood"); !strings.Contains(body, "Following · unfollow") {
		t.Error("topic page does not show the topic as followed")
	}
	// Pages naming the reader's follows are not for shared caches.
	for _, path := range []string{"/topic/flood", "/for-you"} {
		resp, err := b.c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
			t.Errorf("%s signed in: Cache-Control %q, want private", path, cc)
		}
	}
	bbcPath := "/source/" + strconv.FormatInt(bbc.ID, 10)
	code, _, body := b.get(bbcPath)
	if code != http.StatusOK || !strings.Contains(body, "<h1>BBC</h1>") || !strings.Contains(body, "Council approves the budget") ||
		strings.Contains(body, "Polls open") {
		t.Fatalf("source page: status %d\n%s", code, body)
	}
	if code, _ := b.post("/follow", url.Values{"kind": {"source"}, "value": {strconv.FormatInt(bbc.ID, 10)}, "action": {"follow"}, "next": {bbcPath}}); code != http.StatusSeeOther {
		t.Fatalf("follow outlet: status %d", code)
	}

	_, _, body = b.get("/for-you")
	budget, storm, rivers := strings.Index(body, "Council approves the budget"), strings.Index(body, "Storm floods the coast"), strings.Index(body, "Rivers burst their banks")
	if budget < 0 || storm < 0 || rivers < 0 {
		t.Fatalf("For you lacks a followed story (budget %d, storm %d, rivers %d):\n%s", budget, storm, rivers, body)
	}
	if !(budget < storm && storm < rivers) {
		t.Errorf("For you not in rank order: budget %d, storm %d, rivers %d", budget, storm, rivers)
	}
	if strings.Contains(body, "Polls open in the election") {
		t.Error("For you lists a story from neither a followed topic nor outlet")
	}
	for _, want := range []string{"Because you follow BBC<", "Because you follow #Flood<", "Because you follow #Flood, BBC<"} {
		if !strings.Contains(body, want) {
			t.Errorf("For you lacks %q", want)
		}
	}

	// Unfollowing the topic drops the story only it brought.
	b.post("/follow", url.Values{"kind": {"topic"}, "value": {"flood"}, "action": {"unfollow"}, "next": {"/topic/flood"}})
	_, _, body = b.get("/for-you")
	if strings.Contains(body, "Storm floods the coast") || !strings.Contains(body, "Rivers burst their banks") {
		t.Errorf("after unfollowing #flood:\n%s", body)
	}

	// A forged cross-site follow is refused.
	req, _ := http.NewRequest("POST", srv.URL+"/follow", strings.NewReader("kind=topic&value=spam&next=/"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site follow: status %d, want 403", resp.StatusCode)
	}
}

func TestSourcePageAndForYouRoutes(t *testing.T) {
	f := newFixture()
	h := f.handler(Options{}) // no accounts hook
	tests := []struct {
		path       string
		status     int
		want, lack []string
	}{
		{"/source/1", http.StatusOK, []string{"<h1>AP</h1>", `href="/article/1"`, `href="https://apnews.com"`}, []string{"Tempête", `action="/follow"`}},
		{"/source/3", http.StatusOK, []string{"<h1>Le Monde</h1>", "Tempête sur la côte"}, []string{"Storm floods coastal towns"}},
		{"/source/99", http.StatusNotFound, nil, nil},
		{"/source/x", http.StatusNotFound, nil, nil},
		{"/source/1?cursor=bogus", http.StatusBadRequest, nil, nil},
		{"/for-you", http.StatusNotFound, nil, nil}, // no accounts: no For you page
		{"/topic/flood", http.StatusOK, nil, []string{`action="/follow"`, `href="/for-you"`}},
	}
	for _, tc := range tests {
		rec := do(t, h, "GET", tc.path, nil)
		body := rec.Body.String()
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, rec.Code, tc.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		for _, l := range tc.lack {
			if strings.Contains(body, l) {
				t.Errorf("%s has %q", tc.path, l)
			}
		}
	}
}
