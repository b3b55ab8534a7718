package migrate

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/open"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

// fill writes a small but varied database through the store API.
func fill(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	var srcs []model.Source
	for i, c := range []string{"US", "FR", ""} {
		src, err := s.UpsertSource(ctx, model.Source{Name: fmt.Sprintf("Outlet %d", i), HomeURL: "https://o.example", Country: c, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	feed, _, err := s.AddFeed(ctx, model.Feed{SourceID: srcs[0].ID, URL: "https://o.example/rss", Title: "Feed"})
	if err != nil {
		t.Fatal(err)
	}
	feed.ETag, feed.LastError, feed.Failures, feed.NextPoll = `W/"x"`, "timeout", 3, t0.Add(time.Hour)
	if err := s.SaveFeedState(ctx, feed); err != nil {
		t.Fatal(err)
	}
	for i := range 1200 {
		a := model.Article{SourceID: srcs[i%3].ID, FeedID: feed.ID, URL: fmt.Sprintf("https://o.example/%d", i),
			GUID: fmt.Sprintf("g%d", i), Title: fmt.Sprintf("Élection numéro %d «quoted» 'x'", i),
			Text: "line one\nline two – ünïcödé", HTML: "<p>x</p>", Published: t0.Add(time.Duration(i) * time.Minute),
			Fetched: t0.Add(time.Duration(i)*time.Minute + time.Second), Language: "fr"}
		if i%7 == 0 {
			a.Published = time.Time{}
		}
		if _, err := s.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if i < 60 {
			if _, err := s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(1 + i/10), Headline: "Story"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.Assign(ctx, store.Assignment{Story: 1, Merged: []int64{2}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStoryScore(ctx, 3, 0.1+0.2); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveInsight(ctx, 1, "v3", []byte{0, 1, 2, 255}); err != nil {
		t.Fatal(err)
	}
}

// snapshot reads everything back through the store API.
func snapshot(t *testing.T, s store.Store) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	var err error
	if out["sources"], err = s.Sources(ctx); err != nil {
		t.Fatal(err)
	}
	if out["feeds"], err = s.Feeds(ctx); err != nil {
		t.Fatal(err)
	}
	var arts []model.Article
	q := store.ArticleQuery{Limit: 200}
	for {
		page, next, err := s.Articles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, page...)
		if next == "" {
			break
		}
		q.Cursor = next
	}
	out["articles"] = arts
	stories, _, err := s.Stories(ctx, store.StoryQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	out["stories"] = stories
	if out["merged"], err = s.Story(ctx, 2); err != nil {
		t.Fatal(err)
	}
	v, data, err := s.Insight(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	out["insight"] = v + fmt.Sprint(data)
	if out["max"], err = s.MaxStoryID(ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

func testCopy(t *testing.T, toDSN string) {
	ctx := context.Background()
	fromDSN := filepath.Join(t.TempDir(), "dateline.db")
	from, err := open.Open(ctx, fromDSN)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, from)
	// An account with an API token: account tables are copied too.
	svc, err := account.New(from.(interface{ DB() *sql.DB }).DB(), account.SQLite, account.Options{Hash: account.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.CreateUser(ctx, "ann", "correct horse battery", account.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.CreateToken(ctx, u.ID, "script"); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, from)
	from.Close()

	var log bytes.Buffer
	if err := CopyDSN(ctx, fromDSN, toDSN, &log); err != nil {
		t.Fatalf("copy: %v\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "articles: 1200 rows copied") || !strings.Contains(log.String(), "api_tokens: 1 rows copied") ||
		!strings.Contains(log.String(), "verified") {
		t.Fatalf("copy log:\n%s", log.String())
	}
	to, err := open.Open(ctx, toDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	got := snapshot(t, to)
	for k := range want {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s differs after copy", k)
		}
	}
	// The destination keeps working: search sees copied text, new rows get
	// fresh ids.
	if hits, err := to.Search(ctx, "numéro 17", 5); err != nil || len(hits) == 0 {
		t.Errorf("search after copy: %d hits, %v", len(hits), err)
	}
	src, err := to.UpsertSource(ctx, model.Source{Name: "New outlet"})
	if err != nil || src.ID != 4 {
		t.Fatalf("new source after copy: %+v %v", src, err)
	}
	a := model.Article{SourceID: src.ID, URL: "https://new.example/1"}
	if created, err := to.InsertArticle(ctx, &a); err != nil || !created || a.ID != 1201 {
		t.Fatalf("new article after copy: id %d created %v %v", a.ID, created, err)
	}
	// A second copy into the now non-empty destination is refused.
	if err := CopyDSN(ctx, fromDSN, toDSN, &log); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("copy into non-empty database: %v", err)
	}
}

func TestCopySQLiteToPostgres(t *testing.T) {
	testCopy(t, storetest.FreshPostgres(t))
}

func TestCopySQLiteToSQLite(t *testing.T) {
	testCopy(t, filepath.Join(t.TempDir(), "copy.db"))
}
