package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// TestAPITokens drives the token-authenticated API through the real
// handlers and accounts service on each backend.
func TestAPITokens(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			now := time.Now().UTC().Truncate(time.Second)
			src := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Harbour Times", Country: "NZ", Language: "en"}))
			f, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: "https://harbour.example/rss"})
			if err != nil {
				t.Fatal(err)
			}
			a := model.Article{SourceID: src.ID, FeedID: f.ID, URL: "https://harbour.example/storm", Title: "Storm closes the harbour",
				Text: "The storm closed the harbour.", Published: now.Add(-time.Hour), Fetched: now}
			must[bool](t)(st.InsertArticle(ctx, &a))
			if _, err := st.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: 1, Reason: "test", Headline: "Storm closes the harbour"}); err != nil {
				t.Fatal(err)
			}

			svc := accountsOn(t, st)
			h := New(st, Options{CacheTTL: -1, Comments: adminHook{accountweb.New(svc, accountweb.Options{}), svc}})
			ann, err := svc.CreateUser(ctx, "ann", "correct horse battery", account.Reader)
			if err != nil {
				t.Fatal(err)
			}
			boss, err := svc.CreateUser(ctx, "boss", "correct horse battery", account.Admin)
			if err != nil {
				t.Fatal(err)
			}
			annTok, annT, err := svc.CreateToken(ctx, ann.ID, "reader script")
			if err != nil {
				t.Fatal(err)
			}
			bossTok, _, err := svc.CreateToken(ctx, boss.ID, "feed sync")
			if err != nil {
				t.Fatal(err)
			}

			do := func(method, target, token, body string, hdr ...string) *httptest.ResponseRecorder {
				t.Helper()
				req := httptest.NewRequest(method, target, strings.NewReader(body))
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				for i := 0; i+1 < len(hdr); i += 2 {
					req.Header.Set(hdr[i], hdr[i+1])
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			want := func(rec *httptest.ResponseRecorder, status int, what string) {
				t.Helper()
				if rec.Code != status {
					t.Errorf("%s: %d %s, want %d", what, rec.Code, strings.TrimSpace(rec.Body.String()), status)
				}
			}

			// No token, a wrong one: 401 JSON.
			for _, tok := range []string{"", "dl_not-a-token", annTok + "x"} {
				rec := do("GET", "/api/v1/me", tok, "")
				want(rec, http.StatusUnauthorized, "GET /api/v1/me with "+strconv.Quote(tok))
				if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || rec.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("401 headers: %v", rec.Header())
				}
			}
			var me apiMe
			rec := do("GET", "/api/v1/me", annTok, "")
			want(rec, http.StatusOK, "GET /api/v1/me")
			if err := json.Unmarshal(rec.Body.Bytes(), &me); err != nil || me != (apiMe{Name: "ann", Role: "reader"}) {
				t.Errorf("me = %+v, %v", me, err)
			}

			// Follow by PUT, then read follows and for-you.
			want(do("PUT", "/api/v1/me/follows/source/"+strconv.FormatInt(src.ID, 10), annTok, ""), http.StatusNoContent, "PUT follow source")
			want(do("PUT", "/api/v1/me/follows/topic/%23Flood", annTok, ""), http.StatusNoContent, "PUT follow topic")
			want(do("PUT", "/api/v1/me/follows/person/x", annTok, ""), http.StatusNotFound, "PUT follow unknown kind")
			want(do("PUT", "/api/v1/me/follows/source/0", annTok, ""), http.StatusUnprocessableEntity, "PUT follow bad source")
			var fl apiFollows
			rec = do("GET", "/api/v1/me/follows", annTok, "")
			want(rec, http.StatusOK, "GET follows")
			if err := json.Unmarshal(rec.Body.Bytes(), &fl); err != nil || len(fl.Sources) != 1 || fl.Sources[0] != src.ID || len(fl.Topics) != 1 {
				t.Errorf("follows = %+v, %v; want the outlet and one topic", fl, err)
			}
			var fy []apiForYouItem
			rec = do("GET", "/api/v1/me/for-you", annTok, "")
			want(rec, http.StatusOK, "GET for-you")
			if err := json.Unmarshal(rec.Body.Bytes(), &fy); err != nil || len(fy) != 1 || fy[0].ID != 1 || len(fy[0].Because) == 0 {
				t.Errorf("for-you = %+v, %v; want story 1 because of the outlet", fy, err)
			}
			want(do("DELETE", "/api/v1/me/follows/source/"+strconv.FormatInt(src.ID, 10), annTok, ""), http.StatusNoContent, "DELETE follow")
			if _, sources, _ := svc.Follows(ctx, ann.ID); len(sources) != 0 {
				t.Errorf("sources after unfollow: %v", sources)
			}

			// Feeds: administrators only.
			body := `{"url":"https://bay.example/feed.xml","name":"Bay News","country":"NZ","language":"en","category":"local"}`
			want(do("POST", "/api/v1/feeds", annTok, body), http.StatusForbidden, "reader POST feeds")
			want(do("POST", "/api/v1/feeds", bossTok, `{"url":`), http.StatusBadRequest, "bad JSON")
			want(do("POST", "/api/v1/feeds", bossTok, body), http.StatusCreated, "admin POST feeds")
			feeds, err := st.Feeds(ctx)
			if err != nil || !slices.ContainsFunc(feeds, func(f model.Feed) bool { return f.URL == "https://bay.example/feed.xml" }) {
				t.Errorf("feeds after the API's add: %v, %v", feeds, err)
			}
			want(do("DELETE", "/api/v1/feeds?url=https://bay.example/feed.xml", annTok, ""), http.StatusForbidden, "reader DELETE feeds")
			want(do("DELETE", "/api/v1/feeds?url=https://bay.example/feed.xml", bossTok, ""), http.StatusNoContent, "admin DELETE feeds")
			want(do("DELETE", "/api/v1/feeds?url=https://bay.example/feed.xml", bossTok, ""), http.StatusNotFound, "DELETE again")
			audit, err := st.Audit(ctx, 10)
			if err != nil || len(audit) < 2 {
				t.Errorf("audit = %+v, %v; want the API's add and remove", audit, err)
			}

			// Cross-site: a bearer-only call passes; one that also carries the
			// session cookie, and a cookie-only form post, are refused.
			cookie, err := svc.StartSession(ctx, ann.ID)
			if err != nil {
				t.Fatal(err)
			}
			want(do("PUT", "/api/v1/me/follows/topic/storm", annTok, "", "Sec-Fetch-Site", "cross-site"), http.StatusNoContent, "cross-site bearer-only PUT")
			want(do("PUT", "/api/v1/me/follows/topic/storm", annTok, "", "Sec-Fetch-Site", "cross-site", "Cookie", "dateline_session="+cookie),
				http.StatusForbidden, "cross-site PUT with the session cookie")
			want(do("POST", "/follow", "", "kind=topic&value=storm&action=unfollow", "Sec-Fetch-Site", "cross-site",
				"Cookie", "dateline_session="+cookie, "Content-Type", "application/x-www-form-urlencoded"), http.StatusForbidden, "cross-site form post")
			// A token never signs anyone in to pages.
			if rec := do("GET", "/for-you", annTok, ""); rec.Code != http.StatusSeeOther {
				t.Errorf("GET /for-you with only a token: %d, want a redirect to log in", rec.Code)
			}

			// A stranger cannot revoke; the owner can, and the token stops working.
			if err := svc.RevokeToken(ctx, boss.ID, annT.ID); err == nil {
				t.Error("boss revoked ann's token")
			}
			want(do("GET", "/api/v1/me", annTok, ""), http.StatusOK, "after a stranger's revoke")
			if err := svc.RevokeToken(ctx, ann.ID, annT.ID); err != nil {
				t.Fatal(err)
			}
			want(do("GET", "/api/v1/me", annTok, ""), http.StatusUnauthorized, "after revoke")

			// A suspended account's token is refused.
			if err := svc.Suspend(ctx, "boss", true); err != nil {
				t.Fatal(err)
			}
			want(do("GET", "/api/v1/me/follows", bossTok, ""), http.StatusUnauthorized, "suspended owner")
		})
	}
}
