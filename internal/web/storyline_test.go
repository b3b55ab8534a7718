package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/postgres"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

func openPostgres(t testing.TB) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), storetest.FreshPostgres(t))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Events written for these tests: a bridge closes (three outlets), days
// later its repair contract is awarded (two outlets) — one storyline; a
// ferry strike in between is a storyline of its own.
const (
	lineID       = 50
	otherLineID  = 60
	foldedLineID = 40
	closedHead   = "Harbour bridge closed after corroded cables are found"
	repairHead   = "Repair contract for the closed harbour bridge awarded"
	strikeHead   = "Ferry crews end two-day strike"
)

var lineDay = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// storylineFixture stores the three events through Assign, as the
// clustering stage records them, and scores them so that the old bridge
// event outranks both others.
func storylineFixture(t testing.TB, st store.Store) {
	t.Helper()
	ctx := context.Background()
	src := map[string]model.Source{}
	for _, s := range []model.Source{{Name: "Harbour Times", Country: "IE"}, {Name: "Coast Radio", Country: "IE"}, {Name: "Channel Wire", Country: "GB"}} {
		src[s.Name] = must[model.Source](t)(st.UpsertSource(ctx, s))
	}
	for i, a := range []struct {
		outlet, title string
		at            time.Duration
		event, line   int64
		headline      string
	}{
		{"Harbour Times", "Bridge shut as engineers find cable corrosion", 0, 1, lineID, closedHead},
		{"Coast Radio", "Harbour bridge closed indefinitely", time.Hour, 1, lineID, closedHead},
		{"Channel Wire", "Corrosion closes harbour bridge", 2 * time.Hour, 1, lineID, closedHead},
		{"Coast Radio", "Ferry strike over after pay deal", 24 * time.Hour, 3, otherLineID, strikeHead},
		{"Harbour Times", "Council awards bridge repair contract", 72 * time.Hour, 2, lineID, repairHead},
		{"Channel Wire", "Bridge repair contract goes to local firm", 74 * time.Hour, 2, lineID, repairHead},
	} {
		art := model.Article{SourceID: src[a.outlet].ID, URL: "https://line.example/" + string(rune('a'+i)), Title: a.title,
			Published: lineDay.Add(a.at), Fetched: lineDay.Add(a.at + time.Minute), Text: a.title + "."}
		if _, err := st.InsertArticle(ctx, &art); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Assign(ctx, store.Assignment{ArticleID: art.ID, Story: a.event, Storyline: a.line, Headline: a.headline}); err != nil {
			t.Fatal(err)
		}
	}
	// An event first seen as a storyline of its own (40) joins the bridge
	// closure, folding its storyline in: 40's address redirects.
	art := model.Article{SourceID: src["Harbour Times"].ID, URL: "https://line.example/folded", Title: "Bridge inspection ordered",
		Published: lineDay.Add(30 * time.Minute), Fetched: lineDay.Add(time.Hour), Text: "Inspection."}
	if _, err := st.InsertArticle(ctx, &art); err != nil {
		t.Fatal(err)
	}
	for _, as := range []store.Assignment{
		{ArticleID: art.ID, Story: 4, Storyline: foldedLineID, Headline: "Bridge inspection ordered"},
		{ArticleID: art.ID, Story: 1, Storyline: lineID, StorylinesMerged: []int64{foldedLineID}, Headline: closedHead},
	} {
		if _, err := st.Assign(ctx, as); err != nil {
			t.Fatal(err)
		}
	}
	for id, score := range map[int64]float64{1: 9, 2: 5, 3: 7} {
		if err := st.SetStoryScore(ctx, id, score); err != nil {
			t.Fatal(err)
		}
	}
}

func storylineServer(t testing.TB, st store.Store) *httptest.Server {
	srv := httptest.NewServer(New(st, Options{CacheTTL: -1, Now: func() time.Time { return lineDay.Add(80 * time.Hour) },
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}))
	t.Cleanup(srv.Close)
	return srv
}

// TestStorylineEndToEnd drives the real handler over each backend: the
// storyline API and page, storyline_id on stories, the story page's link
// and neighbours, and the front page's one event per storyline.
func TestStorylineEndToEnd(t *testing.T) {
	for _, backend := range []struct {
		name string
		open func(testing.TB) store.Store
	}{{"sqlite", openSQLite}, {"postgres", openPostgres}} {
		t.Run(backend.name, func(t *testing.T) {
			st := backend.open(t)
			storylineFixture(t, st)
			srv := storylineServer(t, st)
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			get := func(path string, status int) string {
				t.Helper()
				res, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				body, err := io.ReadAll(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				if res.StatusCode != status {
					t.Fatalf("GET %s: %d, want %d\n%.400s", path, res.StatusCode, status, body)
				}
				return string(body)
			}
			in := func(where, body string, wants ...string) {
				t.Helper()
				for _, w := range wants {
					if !strings.Contains(body, w) {
						t.Errorf("%s lacks %q", where, w)
					}
				}
			}

			// API: the storyline with its events newest first.
			var line struct {
				ID      int64     `json:"id"`
				Title   string    `json:"title"`
				Updated time.Time `json:"updated"`
				Stories []struct {
					ID          int64     `json:"id"`
					StorylineID int64     `json:"storyline_id"`
					Headline    string    `json:"headline"`
					FirstSeen   time.Time `json:"first_seen"`
					Updated     time.Time `json:"updated"`
					Articles    int       `json:"articles"`
					Outlets     int       `json:"outlets"`
					URL         string    `json:"url"`
				} `json:"stories"`
			}
			if err := json.Unmarshal([]byte(get("/api/v1/storylines/50", 200)), &line); err != nil {
				t.Fatal(err)
			}
			if line.ID != lineID || line.Title != closedHead || !line.Updated.Equal(lineDay.Add(74*time.Hour)) || len(line.Stories) != 2 {
				t.Fatalf("storyline %+v", line)
			}
			newest, oldest := line.Stories[0], line.Stories[1]
			if newest.ID != 2 || newest.Headline != repairHead || newest.StorylineID != lineID || newest.Articles != 2 || newest.Outlets != 2 ||
				!newest.FirstSeen.Equal(lineDay.Add(72*time.Hour)) || !newest.Updated.Equal(lineDay.Add(74*time.Hour)) || newest.URL != srv.URL+"/story/2" {
				t.Errorf("newest event %+v", newest)
			}
			if oldest.ID != 1 || oldest.Outlets != 3 || !oldest.FirstSeen.Equal(lineDay) || oldest.URL != srv.URL+"/story/1" {
				t.Errorf("oldest event %+v", oldest)
			}
			var raw map[string]json.RawMessage
			json.Unmarshal([]byte(get("/api/v1/storylines/50", 200)), &raw)
			for _, k := range []string{"id", "title", "updated", "stories"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("storyline JSON lacks %q", k)
				}
			}
			in("unknown storyline", get("/api/v1/storylines/999", 404), `"error":"not found"`)
			in("bad storyline id", get("/api/v1/storylines/x", 400), `"error"`)

			// Every story JSON carries its storyline.
			var list struct {
				Stories []struct {
					ID          int64 `json:"id"`
					StorylineID int64 `json:"storyline_id"`
				} `json:"stories"`
			}
			if err := json.Unmarshal([]byte(get("/api/v1/stories", 200)), &list); err != nil {
				t.Fatal(err)
			}
			got := map[int64]int64{}
			for _, s := range list.Stories {
				got[s.ID] = s.StorylineID
			}
			if want := map[int64]int64{1: lineID, 2: lineID, 3: otherLineID}; !maps.Equal(got, want) {
				t.Errorf("stories' storylines %v, want %v", got, want)
			}
			var detail struct {
				StorylineID int64 `json:"storyline_id"`
			}
			if err := json.Unmarshal([]byte(get("/api/v1/stories/1", 200)), &detail); err != nil || detail.StorylineID != lineID {
				t.Errorf("story detail storyline %d (%v)", detail.StorylineID, err)
			}

			// The timeline page: newest event first, dated, with outlets.
			page := get("/storyline/50", 200)
			in("storyline page", page, "<h1>"+closedHead+"</h1>", `<ol class="timeline">`, "2 events", "3 outlets",
				`href="/story/2"`, `href="/story/1"`, ">5 Mar 2026</time>", ">2 Mar 2026</time>",
				"Harbour Times, Channel Wire", "Harbour Times, Coast Radio, Channel Wire")
			if strings.Index(page, repairHead) > strings.Index(page, `href="/story/1"`) {
				t.Error("timeline is not newest first")
			}
			if strings.Contains(page, strikeHead) {
				t.Error("another storyline's event on the timeline")
			}
			get("/storyline/999", 404)
			for path, to := range map[string]string{"/storyline/40": "/storyline/50", "/api/v1/storylines/40": "/api/v1/storylines/50"} {
				res, err := noRedirect.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
					t.Errorf("merged storyline %s: %d → %q, want 301 → %s", path, res.StatusCode, res.Header.Get("Location"), to)
				}
			}
			get("/storyline/x", 404)

			// Story pages link their storyline and neighbouring events.
			first := get("/story/1", 200)
			in("first event's page", first, `Part of a developing story: <a href="/storyline/50">`+closedHead+`</a> — 2 events`,
				`After: <a href="/story/2">`+repairHead+`</a>`)
			if strings.Contains(first, "Before:") {
				t.Error("the first event has an event before it")
			}
			in("newest event's page", get("/story/2", 200), `href="/storyline/50"`, `Before: <a href="/story/1">`+closedHead+`</a>`)
			if strings.Contains(get("/story/3", 200), "developing story") {
				t.Error("a storyline of one event is linked as developing")
			}

			// Front page: the storyline once, by its newest event.
			front := get("/", 200)
			const strikeArticle = "Ferry strike over after pay deal" // a one-article event shows its article
			in("front page", front, `href="/story/2"`, strikeArticle, `<a href="/storyline/50">Developing: 2 events</a>`)
			if strings.Contains(front, `href="/story/1"`) || strings.Contains(front, closedHead) {
				t.Error("the storyline's older event is listed beside its newest")
			}
			// Event 2 (own score 5) is listed at its storyline's best score,
			// event 1's 9: above the strike (7).
			if strings.Index(front, `href="/story/2"`) > strings.Index(front, strikeArticle) {
				t.Error("front page not ordered by the storylines' best scores")
			}
		})
	}
}
