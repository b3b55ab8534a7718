package web

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// fakeStore is a small in-memory store.Store for handler unit tests. Cursors
// are offsets ("o12"); anything else is store.ErrBadCursor, as in the real
// backends. Methods the web layer never calls panic through the nil embed.
type fakeStore struct {
	store.Store

	mu       sync.Mutex
	sources  []model.Source
	feeds    []model.Feed
	articles []model.Article
	stories  []model.Story
	insights map[int64][2]string // version, data
	failAll  error               // when set, every read fails with it
}

func newFakeStore() *fakeStore { return &fakeStore{insights: map[int64][2]string{}} }

func (f *fakeStore) Close() error { return nil }

func (f *fakeStore) addSource(s model.Source) model.Source {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.ID = int64(len(f.sources) + 1)
	f.sources = append(f.sources, s)
	return s
}

func (f *fakeStore) addArticle(a model.Article) model.Article {
	f.mu.Lock()
	defer f.mu.Unlock()
	a.ID = int64(len(f.articles) + 1)
	for _, s := range f.sources {
		if s.ID == a.SourceID {
			a.Source = s
		}
	}
	f.articles = append(f.articles, a)
	return a
}

func (f *fakeStore) addStory(s model.Story) model.Story {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.ID == 0 {
		s.ID = int64(len(f.stories) + 1)
	}
	f.stories = append(f.stories, s)
	return s
}

func (f *fakeStore) Sources(ctx context.Context) ([]model.Source, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAll != nil {
		return nil, f.failAll
	}
	return slices.Clone(f.sources), nil
}

func (f *fakeStore) SourceArticles(ctx context.Context) (map[int64]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64]int{}
	for _, a := range f.articles {
		out[a.SourceID]++
	}
	return out, nil
}

func (f *fakeStore) Feeds(ctx context.Context) ([]model.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAll != nil {
		return nil, f.failAll
	}
	return slices.Clone(f.feeds), nil
}

func (f *fakeStore) Article(ctx context.Context, id int64) (model.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAll != nil {
		return model.Article{}, f.failAll
	}
	for _, a := range f.articles {
		if a.ID == id {
			return a, nil
		}
	}
	return model.Article{}, fmt.Errorf("article %d: %w", id, store.ErrNotFound)
}

func page2[T any](items []T, limit int, cursor string) ([]T, string, error) {
	off := 0
	if cursor != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(cursor, "o"))
		if !strings.HasPrefix(cursor, "o") || err != nil || n < 0 {
			return nil, "", fmt.Errorf("cursor %q: %w", cursor, store.ErrBadCursor)
		}
		off = n
	}
	if limit <= 0 {
		limit = 50
	}
	if off > len(items) {
		off = len(items)
	}
	end := min(len(items), off+limit)
	next := ""
	if end < len(items) {
		next = "o" + strconv.Itoa(end)
	}
	return slices.Clone(items[off:end]), next, nil
}

func (f *fakeStore) Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAll != nil {
		return nil, "", f.failAll
	}
	var sel []model.Article
	for _, a := range f.articles {
		if (q.StoryID == 0 || a.StoryID == q.StoryID) && (q.SourceID == 0 || a.SourceID == q.SourceID) {
			sel = append(sel, a)
		}
	}
	slices.SortStableFunc(sel, func(a, b model.Article) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return page2(sel, q.Limit, q.Cursor)
}

func (f *fakeStore) Story(ctx context.Context, id int64) (model.Story, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAll != nil {
		return model.Story{}, f.failAll
	}
	for _, s := range f.stories {
		if s.ID == id {
			return s, nil
		}
	}
	return model.Story{}, fmt.Errorf("story %d: %w", id, store.ErrNotFound)
}

func (f *fakeStore) Stories(ctx context.Context, q store.StoryQuery) ([]model.Story, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAll != nil {
		return nil, "", f.failAll
	}
	var live []model.Story
	for _, s := range f.stories {
		if s.MergedInto == 0 {
			live = append(live, s)
		}
	}
	slices.SortStableFunc(live, func(a, b model.Story) int { return cmp.Compare(b.Score, a.Score) })
	return page2(live, q.Limit, q.Cursor)
}

func (f *fakeStore) SaveInsight(ctx context.Context, id int64, version string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.insights[id] = [2]string{version, string(data)}
	return nil
}

func (f *fakeStore) Insight(ctx context.Context, id int64) (string, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.insights[id]
	if !ok {
		return "", nil, store.ErrNotFound
	}
	return v[0], []byte(v[1]), nil
}

func (f *fakeStore) Search(ctx context.Context, q string, limit int) ([]model.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []model.Article
	for _, a := range f.articles {
		if q != "" && strings.Contains(strings.ToLower(a.Title+" "+a.Text), strings.ToLower(q)) && len(out) < limit {
			out = append(out, a)
		}
	}
	return out, nil
}

func (f *fakeStore) SearchStories(ctx context.Context, q string, limit int) ([]model.Story, error) {
	arts, _ := f.Search(ctx, q, 1000)
	seen := map[int64]bool{}
	var out []model.Story
	for _, a := range arts {
		if a.StoryID == 0 || seen[a.StoryID] {
			continue
		}
		seen[a.StoryID] = true
		if s, err := f.Story(ctx, a.StoryID); err == nil && s.MergedInto == 0 && len(out) < limit {
			out = append(out, s)
		}
	}
	return out, nil
}

// fixture fills a fake store with a small world: a three-outlet story with a
// syndicated copy, a single-article story, a merged story and a failing feed.
type fixture struct {
	st                   *fakeStore
	now                  time.Time
	ap, yomiuri, le, bbc model.Source
	big, single, merged  model.Story
	orig, copy1, lemonde model.Article
	lone                 model.Article
}

func newFixture() *fixture {
	f := &fixture{st: newFakeStore(), now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	st := f.st
	f.ap = st.addSource(model.Source{Name: "AP", Country: "US", Language: "en", HomeURL: "https://apnews.com"})
	f.yomiuri = st.addSource(model.Source{Name: "Yomiuri Shimbun", Country: "JP", Language: "en"})
	f.le = st.addSource(model.Source{Name: "Le Monde", Country: "FR", Language: "fr"})
	f.bbc = st.addSource(model.Source{Name: "BBC", Country: "GB", Language: "en"})
	f.big = st.addStory(model.Story{Headline: "Storm floods the coast", FirstSeen: f.now.Add(-3 * time.Hour),
		Updated: f.now.Add(-35 * time.Minute), Articles: 3, Outlets: 3, Countries: 3, Score: 10,
		Image: "https://img.example/storm.jpg"})
	f.single = st.addStory(model.Story{Headline: "Council approves budget", FirstSeen: f.now.Add(-2 * time.Hour),
		Updated: f.now.Add(-2 * time.Hour), Articles: 1, Outlets: 1, Countries: 1, Score: 5})
	f.merged = st.addStory(model.Story{Headline: "Storm nears", MergedInto: f.big.ID, Score: 1})
	f.orig = st.addArticle(model.Article{SourceID: f.ap.ID, URL: "https://apnews.com/storm", Title: "Storm floods coastal towns",
		Published: f.now.Add(-3 * time.Hour), StoryID: f.big.ID, Text: "Rain fell.\nRivers rose.",
		HTML: "<p>Rain <em>fell</em>.</p>", Reason: "first report", Author: "Jane Doe"})
	f.copy1 = st.addArticle(model.Article{SourceID: f.yomiuri.ID, URL: "https://yomiuri.example/storm", Title: "Storm floods coastal towns",
		Published: f.now.Add(-2 * time.Hour), StoryID: f.big.ID, CopyOf: f.orig.ID, Reason: "syndicated copy of AP"})
	f.lemonde = st.addArticle(model.Article{SourceID: f.le.ID, URL: "https://lemonde.example/tempete", Title: "Tempête sur la côte",
		Published: f.now.Add(-35 * time.Minute), StoryID: f.big.ID, Reason: "shares names: Storm, Coast"})
	f.lone = st.addArticle(model.Article{SourceID: f.bbc.ID, URL: "https://bbc.example/budget", Title: "Council approves <script>alert(1)</script> budget",
		Published: f.now.Add(-2 * time.Hour), StoryID: f.single.ID, Text: "The council voted.", Image: "http://insecure.example/a.jpg"})
	st.feeds = []model.Feed{
		{ID: 1, SourceID: f.ap.ID, URL: "https://apnews.com/feed", Title: "AP Top", LastPoll: f.now.Add(-5 * time.Minute),
			LastStatus: 200, Articles: 1, Source: f.ap},
		{ID: 2, SourceID: f.bbc.ID, URL: "https://bbc.example/rss", LastPoll: f.now.Add(-time.Hour), LastStatus: 503,
			LastError: "server said 503 Service Unavailable", Failures: 4, Articles: 1, Source: f.bbc},
	}
	return f
}
