package web

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
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

// ref follows a local JSON pointer such as "#/components/schemas/Story".
func ref(doc map[string]any, node map[string]any) map[string]any {
	for {
		r, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		cur := any(doc)
		for _, part := range strings.Split(strings.TrimPrefix(r, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		node = cur.(map[string]any)
	}
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// conform reports where v departs from schema s: wrong types, missing
// required fields, fields the description does not name.
func conform(doc map[string]any, v any, s map[string]any, at string) []string {
	s = ref(doc, s)
	var bad []string
	if ts, ok := s["type"]; ok {
		var allowed []string
		switch x := ts.(type) {
		case string:
			allowed = []string{x}
		case []any:
			for _, t := range x {
				allowed = append(allowed, t.(string))
			}
		}
		got := jsonType(v)
		if !slices.Contains(allowed, got) && !(got == "integer" && slices.Contains(allowed, "number")) {
			return []string{at + ": " + got + ", described as " + strings.Join(allowed, "|")}
		}
	}
	switch x := v.(type) {
	case map[string]any:
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				bad = append(bad, at+"."+r.(string)+": missing")
			}
		}
		props, described := s["properties"].(map[string]any)
		for k, fv := range x {
			if !described {
				break
			}
			p, ok := props[k]
			if !ok {
				bad = append(bad, at+"."+k+": not described")
				continue
			}
			bad = append(bad, conform(doc, fv, p.(map[string]any), at+"."+k)...)
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range x[:min(len(x), 3)] {
				bad = append(bad, conform(doc, it, items, at+"["+strconv.Itoa(i)+"]")...)
			}
		}
	}
	return bad
}

// TestOpenAPIMatchesHandlers checks /api/v1/openapi.json both ways: every
// /api/v1 route the code registers is described and nothing else is, and
// every described operation answers the real handler with a described
// status and a body of the described shape.
func TestOpenAPIMatchesHandlers(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	paths := doc["paths"].(map[string]any)

	// The routes ("METHOD /path"), read from the files that register them.
	routeRE := regexp.MustCompile(`"(GET|POST|PUT|DELETE) (/api/v1/[^"]+)"`)
	var routes []string
	for _, f := range []string{"web.go", "admin.go", "storyline.go", "apitokens.go", "../account/accountweb/handler.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routeRE.FindAllStringSubmatch(string(src), -1) {
			routes = append(routes, m[1]+" "+m[2])
		}
	}
	if len(routes) < 8 {
		t.Fatalf("found only %d routes: %v", len(routes), routes)
	}
	var described []string
	for p, item := range paths {
		for m := range item.(map[string]any) {
			if m != "parameters" {
				described = append(described, strings.ToUpper(m)+" "+p)
			}
		}
	}
	for _, r := range routes {
		if !slices.Contains(described, r) {
			t.Errorf("route %s is not described", r)
		}
	}
	for _, d := range described {
		if !slices.Contains(routes, d) {
			t.Errorf("%s is described but no handler serves it", d)
		}
	}

	// A store with one story of two articles, and accounts for comments.
	ctx := context.Background()
	st := openSQLite(t)
	now := time.Now().UTC().Truncate(time.Second)
	src := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Harbour Times", Country: "NZ", Language: "en"}))
	f, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: "https://harbour.example/rss"})
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Storm closes the harbour", "Storm damage counted"} {
		a := model.Article{SourceID: src.ID, FeedID: f.ID, URL: "https://harbour.example/" + title[:5] + string(rune('a'+i)), Title: title,
			Text: title + ". The storm closed the harbour on Monday.", Published: now.Add(-time.Duration(i) * time.Hour), Image: "https://harbour.example/i.jpg"}
		must[bool](t)(st.InsertArticle(ctx, &a))
		if _, err := st.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: 1, Reason: "test", Headline: "Storm closes the harbour"}); err != nil {
			t.Fatal(err)
		}
	}
	svc := accountsOn(t, st)
	h := New(st, Options{CacheTTL: -1, Comments: adminHook{accountweb.New(svc, accountweb.Options{
		TargetExists: func(ctx context.Context, kind string, id int64) (bool, error) { return id == 1, nil }}), svc}})
	// Operations that need a token get one of a reader who follows the outlet.
	reader, err := svc.CreateUser(ctx, "reader1", "correct horse battery", account.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Follow(ctx, reader, account.FollowSource, strconv.FormatInt(src.ID, 10), true); err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, reader.ID, "openapi test")
	if err != nil {
		t.Fatal(err)
	}

	for p, item := range paths {
		op, ok := item.(map[string]any)["get"].(map[string]any)
		if !ok {
			continue // writes are exercised in apitokens_test.go
		}
		_, secured := op["security"]
		responses := op["responses"].(map[string]any)
		query := []string{}
		hasLimit, hasID := false, strings.Contains(p, "{id}")
		prms, _ := op["parameters"].([]any)
		for _, prm := range prms {
			prm := ref(doc, prm.(map[string]any))
			if prm["name"] == "limit" {
				hasLimit = true
			}
			if prm["in"] == "query" && prm["required"] == true {
				query = append(query, prm["name"].(string)+"="+prm["example"].(string))
			}
		}
		base := strings.ReplaceAll(p, "{id}", "1") + "?" + strings.Join(query, "&")
		cases := []struct {
			url  string
			want string
		}{{base, "200"}}
		if hasID {
			cases = append(cases, struct{ url, want string }{strings.ReplaceAll(p, "{id}", "999999") + "?" + strings.Join(query, "&"), "404"})
		}
		if hasLimit {
			cases = append(cases, struct{ url, want string }{base + "&limit=0", "400"})
		}
		if secured {
			cases = append(cases, struct{ url, want string }{base, "401"})
		}
		for i, c := range cases {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", c.url, nil)
			if secured && c.want != "401" {
				req.Header.Set("Authorization", "Bearer "+token)
			} else if secured && i > 0 {
				req.Header.Set("Authorization", "Bearer dl_revoked-or-never-issued")
			}
			h.ServeHTTP(rec, req)
			if got := strconv.Itoa(rec.Code); got != c.want {
				t.Errorf("GET %s: %d %s, want %s", c.url, rec.Code, http.StatusText(rec.Code), c.want)
				continue
			}
			resp, ok := responses[c.want].(map[string]any)
			if !ok {
				t.Errorf("GET %s: status %s is not described", c.url, c.want)
				continue
			}
			resp = ref(doc, resp)
			schema := resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("GET %s: Content-Type %q", c.url, ct)
			}
			var body any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Errorf("GET %s: %v", c.url, err)
				continue
			}
			for _, b := range conform(doc, body, schema, "GET "+c.url) {
				t.Error(b)
			}
		}
	}
}
