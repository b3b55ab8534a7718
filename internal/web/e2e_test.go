package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// Articles written for this test: one event told by a wire service, a copy of
// it and an independent report, with quotes and figures for insight.
const (
	wireText = `President Maria Lopez announced on Tuesday that the government will build 40,000 new homes in Valparaiso over the next five years.
"This is the largest housing programme in the history of Chile," Lopez said at a news conference in Santiago.
The plan will cost $2.5 billion, according to the Finance Ministry, and will be funded partly by a new tax on vacant properties.
Opposition leader Carlos Mendez criticised the plan. "The money is not there and the government knows it," Mendez told reporters.
Construction is expected to begin in March, officials said.`
	independentText = `Chile's government unveiled a plan to build 40,000 homes in Valparaiso, a project President Maria Lopez called historic.
The Finance Ministry put the cost at $2.5 billion.
"We will not let families wait another decade," Lopez said, adding that the first homes would be ready by 2028.
Carlos Mendez, the opposition leader, said the figures did not add up.
Housing shortages have worsened in Valparaiso since the 2024 wildfires destroyed thousands of homes.`
)

func openSQLite(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// must stops the test on err and otherwise returns v.
func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestEndToEndSQLite(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	now := time.Now().UTC().Truncate(time.Second)

	ap := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "AP", Country: "US", Language: "en", HomeURL: "https://apnews.com"}))
	yom := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "Yomiuri Shimbun", Country: "JP", Language: "en"}))
	mer := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "El Mercurio", Country: "CL", Language: "es"}))
	var feeds []model.Feed
	for _, src := range []model.Source{ap, yom, mer} {
		f, _, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: "https://" + strings.ReplaceAll(strings.ToLower(src.Name), " ", "") + ".example/rss"})
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	bad := feeds[2]
	bad.LastPoll, bad.LastStatus, bad.LastError, bad.Failures, bad.NextPoll = now, 500, "server said 500 Internal Server Error", 3, now.Add(time.Hour)
	if err := st.SaveFeedState(ctx, bad); err != nil {
		t.Fatal(err)
	}

	insert := func(a model.Article) model.Article {
		t.Helper()
		a.Fetched = now
		if _, err := st.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	wire := insert(model.Article{SourceID: ap.ID, FeedID: feeds[0].ID, URL: "https://apnews.com/chile-housing", GUID: "ap-1",
		Title: "Chile to build 40,000 homes in Valparaiso", Author: "Ana Ruiz", Published: now.Add(-3 * time.Hour),
		Text: wireText, HTML: "<p>President Maria Lopez announced on <strong>Tuesday</strong>…</p>", Image: "https://apnews.com/img/chile.jpg"})
	cp := insert(model.Article{SourceID: yom.ID, FeedID: feeds[1].ID, URL: "https://yomiuri.example/chile", GUID: "yo-1",
		Title: "Chile to build 40,000 homes in Valparaiso", Published: now.Add(-2 * time.Hour), Text: wireText})
	ind := insert(model.Article{SourceID: mer.ID, FeedID: feeds[2].ID, URL: "https://elmercurio.example/vivienda", GUID: "em-1",
		Title: "Lopez unveils <b>historic</b> housing plan", Published: now.Add(-40 * time.Minute), Text: independentText})
	lone := insert(model.Article{SourceID: ap.ID, FeedID: feeds[0].ID, URL: "https://apnews.com/quake", GUID: "ap-2",
		Title: "Small earthquake shakes northern Japan", Published: now.Add(-5 * time.Hour), Text: "A magnitude 4.1 earthquake struck."})

	assign := func(a store.Assignment) {
		t.Helper()
		if _, err := st.Assign(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	assign(store.Assignment{ArticleID: wire.ID, Story: 1, Reason: "first report", Headline: "Chile plans 40,000 homes in Valparaiso"})
	assign(store.Assignment{ArticleID: cp.ID, Story: 1, CopyOf: wire.ID, Reason: "syndicated copy of AP", Headline: "Chile plans 40,000 homes in Valparaiso"})
	// The independent report first starts its own story, which then merges.
	assign(store.Assignment{ArticleID: ind.ID, Story: 3, Reason: "new story", Headline: "Lopez housing plan"})
	assign(store.Assignment{ArticleID: ind.ID, Story: 1, Merged: []int64{3}, Reason: "shares Maria Lopez, Valparaiso",
		Headline: "Chile plans 40,000 homes in Valparaiso"})
	assign(store.Assignment{ArticleID: lone.ID, Story: 2, Reason: "new story", Headline: "Small earthquake shakes northern Japan"})
	for id, score := range map[int64]float64{1: 9, 2: 3} {
		if err := st.SetStoryScore(ctx, id, score); err != nil {
			t.Fatal(err)
		}
	}

	srv := httptest.NewServer(New(st, Options{SiteName: "Dateline", Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, status int, ctype string) string {
		t.Helper()
		res, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var sb strings.Builder
		if _, err := io.Copy(&sb, res.Body); err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != status {
			t.Fatalf("GET %s: status %d, want %d\n%.400s", path, res.StatusCode, status, sb.String())
		}
		if ctype != "" && !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) {
			t.Fatalf("GET %s: Content-Type %q", path, res.Header.Get("Content-Type"))
		}
		if path != "/story/3" && res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no CSP", path)
		}
		return sb.String()
	}
	contains := func(where, body string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", where, w)
			}
		}
	}

	front := get("/", 200, "text/html")
	contains("front page", front, "Chile plans 40,000 homes in Valparaiso", "3 outlets · 3 countries",
		`href="/story/1"`, "Small earthquake shakes northern Japan", `href="/article/`+strconv.FormatInt(lone.ID, 10)+`"`)
	if strings.Contains(front, "apnews.com/img") {
		t.Error("front page links a publisher's image: readers' browsers must not contact publishers")
	}
	if strings.Index(front, "Chile plans") > strings.Index(front, "Small earthquake") {
		t.Error("front page is not ordered by score")
	}
	if strings.Contains(front, "Lopez housing plan") {
		t.Error("merged story listed on the front page")
	}

	story := get("/story/1", 200, "text/html")
	contains("story page", story, "<h1>Chile plans 40,000 homes in Valparaiso</h1>", "3 articles",
		"also carried by Yomiuri Shimbun", "first report", "shares Maria Lopez, Valparaiso", "El Mercurio",
		"Lopez unveils &lt;b&gt;historic&lt;/b&gt; housing plan", `<section class="summary">`, "Maria Lopez", "No comments yet")
	if loc := must[*http.Response](t)(client.Get(srv.URL + "/story/3")); loc.StatusCode != 301 || loc.Header.Get("Location") != "/story/1" {
		t.Errorf("merged story: %d → %q", loc.StatusCode, loc.Header.Get("Location"))
	}

	art := get("/article/"+strconv.FormatInt(wire.ID, 10), 200, "text/html")
	contains("article page", art, "Chile to build 40,000 homes in Valparaiso", "<strong>Tuesday</strong>", "Ana Ruiz",
		`<a href="/source/1">AP</a></span> (US)`, `href="https://apnews.com/chile-housing"`, `href="/story/1"`)

	var arts struct {
		Articles []struct {
			ID     int64  `json:"id"`
			Title  string `json:"title"`
			Source struct {
				Name, Country, Language string
			} `json:"source"`
			StoryID   int64     `json:"story_id"`
			Published time.Time `json:"published"`
		} `json:"articles"`
		Next string `json:"next_cursor"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/articles?limit=3", 200, "application/json")), &arts); err != nil {
		t.Fatal(err)
	}
	if len(arts.Articles) != 3 || arts.Next == "" {
		t.Fatalf("articles page: %d articles, cursor %q", len(arts.Articles), arts.Next)
	}
	if a := arts.Articles[0]; a.ID != ind.ID || a.Source.Country != "CL" || a.StoryID != 1 || !a.Published.Equal(ind.Published) {
		t.Errorf("newest article %+v", a)
	}
	if err := json.Unmarshal([]byte(get("/api/v1/articles?limit=3&cursor="+arts.Next, 200, "application/json")), &arts); err != nil {
		t.Fatal(err)
	}
	if len(arts.Articles) != 1 || arts.Articles[0].ID != lone.ID || arts.Next != "" {
		t.Errorf("last page %+v", arts)
	}
	get("/api/v1/articles?cursor=garbage", 400, "application/json")

	var detail struct {
		ID       int64  `json:"id"`
		Headline string `json:"headline"`
		Outlets  int    `json:"outlets"`
		Articles []struct {
			ID     int64 `json:"id"`
			Source struct{ Name string }
		} `json:"articles"`
		Entities []entityView  `json:"entities"`
		Summary  []summaryView `json:"summary"`
		Quotes   []quoteView   `json:"quotes"`
		Figures  []figureView  `json:"figures"`
		Hashtags []string      `json:"hashtags"`
		Related  []relatedView `json:"related"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/stories/1", 200, "application/json")), &detail); err != nil {
		t.Fatal(err)
	}
	if detail.Headline != "Chile plans 40,000 homes in Valparaiso" || detail.Outlets != 3 || len(detail.Articles) != 3 {
		t.Errorf("story detail %+v", detail)
	}
	if len(detail.Summary) == 0 || len(detail.Summary[0].Outlets) == 0 {
		t.Errorf("no summary with outlets: %+v", detail.Summary)
	}
	found := false
	for _, e := range detail.Entities {
		found = found || e.Name == "Maria Lopez"
	}
	if !found {
		t.Errorf("entities lack Maria Lopez: %+v", detail.Entities)
	}
	found = false
	for _, q := range detail.Quotes {
		found = found || strings.Contains(q.Text, "largest housing programme")
	}
	if !found {
		t.Errorf("quotes lack Lopez's: %+v", detail.Quotes)
	}

	// The insight is cached in the store under the story's version.
	ver, data, err := st.Insight(ctx, 1)
	if err != nil || !strings.HasPrefix(ver, insightCodeVersion+":") || len(data) == 0 {
		t.Errorf("cached insight: %q, %d bytes, %v", ver, len(data), err)
	}

	get("/sources", 200, "text/html")
	contains("sources page", get("/sources", 200, "text/html"), "server said 500 Internal Server Error", `class="failing"`)
	contains("search", get("/api/v1/search?q=Valparaiso", 200, "application/json"), `"id":1`)
	contains("healthz", get("/healthz", 200, "text/plain"), "ok")

	// Many readers at once (run with -race): every cache is shared.
	paths := []string{"/", "/story/1", "/article/1", "/api/v1/articles", "/api/v1/stories", "/api/v1/stories/1",
		"/topic/chile", "/entity/Maria%20Lopez", "/sources", "/feed.xml", "/search?q=homes"}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := range 16 {
		wg.Go(func() {
			for i := range 12 {
				p := paths[(g+i)%len(paths)]
				res, err := http.Get(srv.URL + p)
				if err != nil {
					errs <- err.Error()
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					errs <- p + ": " + res.Status
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
