package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/insight"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// Views of a story's insight, shared by the story page and the JSON API
// (the json names are part of /api/v1/stories/{id}).

type entityView struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type summaryView struct {
	Text    string   `json:"text"`
	Outlets []string `json:"outlets"`
}

type quoteView struct {
	Text    string   `json:"text"`
	Speaker string   `json:"speaker"`
	Outlets []string `json:"outlets"`
	Desc    string   `json:"-"` // how the text describes an unnamed speaker
	StoryID int64    `json:"-"` // set on entity pages, where quotes come from many stories
}

type figureView struct {
	Value  string `json:"value"`
	What   string `json:"what"`
	SaidBy string `json:"said_by"`
	Outlet string `json:"outlet"`
}

type relatedView struct {
	ID       int64  `json:"id"`
	Headline string `json:"headline"`
}

type insightView struct {
	Entities []entityView  `json:"entities"`
	Hashtags []string      `json:"hashtags"`
	Summary  []summaryView `json:"summary"`
	Quotes   []quoteView   `json:"quotes"`
	Figures  []figureView  `json:"figures"`
	Related  []relatedView `json:"related"`
}

// Empty reports whether there is nothing to show.
func (v insightView) Empty() bool {
	return len(v.Entities) == 0 && len(v.Hashtags) == 0 && len(v.Summary) == 0 &&
		len(v.Quotes) == 0 && len(v.Figures) == 0 && len(v.Related) == 0
}

// normalize makes every list non-nil so the API always sends arrays.
func (v insightView) normalize() insightView {
	if v.Entities == nil {
		v.Entities = []entityView{}
	}
	if v.Hashtags == nil {
		v.Hashtags = []string{}
	}
	if v.Summary == nil {
		v.Summary = []summaryView{}
	}
	if v.Quotes == nil {
		v.Quotes = []quoteView{}
	}
	if v.Figures == nil {
		v.Figures = []figureView{}
	}
	if v.Related == nil {
		v.Related = []relatedView{}
	}
	return v
}

// cachedInsight is what is stored per story: the view without related
// stories (those change as other stories do) and the signature related
// stories are found with.
type cachedInsight struct {
	View insightView        `json:"view"`
	Sig  *insight.Signature `json:"sig,omitempty"`
}

// insightVersion changes whenever the story gains coverage or the code that
// computes insight changes, so stale cache entries are recomputed.
func insightVersion(st model.Story) string {
	return fmt.Sprintf("%s:%d:%d", insightCodeVersion, st.Updated.UnixNano(), st.Articles)
}

const (
	memInsights  = 2048             // stories whose insight is kept in memory
	indexMaxAge  = 2 * time.Minute  // how stale the recent-stories index may get
	buildTimeout = 60 * time.Second // bound on one index build
)

// insightCache computes story insight on request and keeps it in the store
// (shared by every web process) and in memory. It also keeps an index of the
// recent stories' insight for topic, entity and related-story lookups.
type insightCache struct {
	st  store.Store
	log *slog.Logger

	mu   sync.Mutex
	mem  map[int64]memEntry
	arts map[int64][2][]string // article ID -> key points, hashtags

	idxMu    sync.Mutex
	idx      []indexed
	idxAt    time.Time
	building bool
	scan     int
}

type memEntry struct {
	version string
	ci      cachedInsight
}

type indexed struct {
	story model.Story
	ci    cachedInsight
}

func newInsightCache(st store.Store, log *slog.Logger, scan int) *insightCache {
	return &insightCache{st: st, log: log, mem: make(map[int64]memEntry),
		arts: make(map[int64][2][]string), scan: scan}
}

// story returns the insight of st (whose articles are arts, or nil to read
// them), with related stories from the recent index.
func (c *insightCache) story(ctx context.Context, st model.Story, arts []model.Article) insightView {
	ci, err := c.get(ctx, st, arts)
	if err != nil {
		c.log.Warn("story insight", "story", st.ID, "err", err)
		return insightView{}.normalize()
	}
	v := ci.View
	v.Related = c.relatedTo(ctx, st.ID, ci, 5)
	return v.normalize()
}

// get returns the cached insight of st, computing and storing it on a miss.
func (c *insightCache) get(ctx context.Context, st model.Story, arts []model.Article) (cachedInsight, error) {
	ver := insightVersion(st)
	c.mu.Lock()
	e, ok := c.mem[st.ID]
	c.mu.Unlock()
	if ok && e.version == ver {
		return e.ci, nil
	}
	var ci cachedInsight
	sv, data, err := c.st.Insight(ctx, st.ID)
	switch {
	case err == nil && sv == ver && json.Unmarshal(data, &ci) == nil:
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return ci, fmt.Errorf("read cached insight: %w", err)
	default:
		if arts == nil {
			all, _, err := storyArticles(ctx, c.st, st.ID, storyArticleCap)
			if err != nil {
				return ci, err
			}
			arts = all
		}
		ci = computeInsight(st, arts)
		data, err := json.Marshal(ci)
		if err != nil {
			return ci, fmt.Errorf("encode insight: %w", err)
		}
		if err := c.st.SaveInsight(ctx, st.ID, ver, data); err != nil {
			// Still usable: the next request recomputes.
			c.log.Warn("save insight", "story", st.ID, "err", err)
		}
	}
	c.mu.Lock()
	if len(c.mem) >= memInsights {
		clear(c.mem) // crude but bounded; the store still holds everything
	}
	c.mem[st.ID] = memEntry{version: ver, ci: ci}
	c.mu.Unlock()
	return ci, nil
}

// recent returns the index of recent stories' insight. A stale index is
// rebuilt in the background while the old one is served; wait=true builds it
// in the request when there is none yet.
func (c *insightCache) recent(ctx context.Context, wait bool) []indexed {
	c.idxMu.Lock()
	idx, at, building := c.idx, c.idxAt, c.building
	fresh := !at.IsZero() && time.Since(at) < indexMaxAge
	if fresh || building {
		c.idxMu.Unlock()
		return idx
	}
	c.building = true
	c.idxMu.Unlock()

	if at.IsZero() && wait {
		return c.build(ctx)
	}
	go c.build(context.WithoutCancel(ctx))
	return idx
}

func (c *insightCache) build(ctx context.Context) (idx []indexed) {
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	defer func() {
		// Builds may run outside any request, where no middleware recovers.
		if v := recover(); v != nil {
			c.log.Error("insight index panic", "panic", v)
			c.idxMu.Lock()
			c.building = false
			c.idxAt = time.Now() // retry after indexMaxAge, not on every request
			idx = c.idx
			c.idxMu.Unlock()
		}
	}()
	cursor := ""
	for len(idx) < c.scan {
		stories, next, err := c.st.Stories(ctx, store.StoryQuery{Limit: min(100, c.scan-len(idx)), Cursor: cursor})
		if err != nil {
			c.log.Warn("insight index", "err", err)
			break
		}
		for _, st := range stories {
			ci, err := c.get(ctx, st, nil)
			if err != nil {
				c.log.Warn("insight index", "story", st.ID, "err", err)
				continue
			}
			idx = append(idx, indexed{story: st, ci: ci})
		}
		if next == "" || len(stories) == 0 {
			break
		}
		cursor = next
	}
	c.idxMu.Lock()
	c.idx, c.idxAt, c.building = idx, time.Now(), false
	c.idxMu.Unlock()
	return idx
}

// related lists stories related to story id, from the recent index.
func (c *insightCache) related(ctx context.Context, id int64, limit int) []relatedView {
	st, err := c.st.Story(ctx, id)
	if err != nil {
		return nil
	}
	ci, err := c.get(ctx, st, nil)
	if err != nil {
		return nil
	}
	return c.relatedTo(ctx, id, ci, limit)
}

func (c *insightCache) relatedTo(ctx context.Context, id int64, ci cachedInsight, limit int) []relatedView {
	idx := c.recent(ctx, false)
	if len(idx) == 0 {
		return nil
	}
	return relatedStories(id, ci, idx, limit)
}

// withHashtag lists recent stories tagged tag (case-insensitive), by score.
func (c *insightCache) withHashtag(ctx context.Context, tag string, limit int) []model.Story {
	var out []model.Story
	for _, it := range c.recent(ctx, true) {
		for _, h := range it.ci.View.Hashtags {
			if strings.EqualFold(strings.TrimPrefix(h, "#"), tag) {
				out = append(out, it.story)
				break
			}
		}
		if len(out) == limit {
			break
		}
	}
	return out
}

// withEntity lists recent stories naming the entity and the quotes it gave.
func (c *insightCache) withEntity(ctx context.Context, name string, limit int) ([]model.Story, []quoteView) {
	var stories []model.Story
	var quotes []quoteView
	for _, it := range c.recent(ctx, true) {
		found := false
		for _, e := range it.ci.View.Entities {
			if strings.EqualFold(e.Name, name) {
				found = true
				break
			}
		}
		for _, q := range it.ci.View.Quotes {
			if strings.EqualFold(q.Speaker, name) {
				found = true
				if len(quotes) < limit {
					q.StoryID = it.story.ID
					quotes = append(quotes, q)
				}
			}
		}
		if found && len(stories) < limit {
			stories = append(stories, it.story)
		}
	}
	return stories, quotes
}

// article returns an article's key points and hashtags. Stored articles do
// not change, so results are kept in memory by ID (bounded).
func (c *insightCache) article(a model.Article) (keyPoints, hashtags []string) {
	c.mu.Lock()
	e, ok := c.arts[a.ID]
	c.mu.Unlock()
	if ok {
		return e[0], e[1]
	}
	keyPoints, hashtags = computeArticleInsight(a)
	c.mu.Lock()
	if len(c.arts) >= memInsights {
		clear(c.arts)
	}
	c.arts[a.ID] = [2][]string{keyPoints, hashtags}
	c.mu.Unlock()
	return keyPoints, hashtags
}
