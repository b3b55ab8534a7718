package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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
	Date    string   `json:"date,omitempty"` // set when the story spans days
}

type quoteView struct {
	Text    string   `json:"text"`
	Speaker string   `json:"speaker"`
	Outlets []string `json:"outlets"`
	Desc    string   `json:"speaker_desc,omitempty"` // how the text describes an unnamed speaker
	StoryID int64    `json:"-"`                      // set on entity pages, where quotes come from many stories
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
	// AISummary is the machine-written summary, when one is configured and
	// ready; AIOutlets are the outlets it names.
	AISummary string   `json:"ai_summary,omitempty"`
	AIOutlets []string `json:"-"`
}

// Empty reports whether there is nothing to show.
func (v insightView) Empty() bool {
	return len(v.Entities) == 0 && len(v.Hashtags) == 0 && len(v.Summary) == 0 &&
		len(v.Quotes) == 0 && len(v.Figures) == 0 && len(v.Related) == 0 && v.AISummary == ""
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
	// AI is the machine-written summary; it may be of an earlier version
	// of the story until the current one is written.
	AI *aiSummary `json:"ai,omitempty"`
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
	// firstIndexWait is how long a topic or entity page waits for the
	// first index build before showing what there is.
	firstIndexWait = 5 * time.Second
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

	flights    map[int64]*flight
	refreshing chan struct{} // holds a token while a background refresh runs

	idxMu   sync.Mutex
	idx     []indexed
	idxAt   time.Time
	idxDone chan struct{} // non-nil while a build runs; closed when it ends
	scan    int

	ai *aiState // nil without a summarizer
	// onRefreshed, when set (tests), is called as each background refresh
	// ends: a test waits for it instead of polling.
	onRefreshed func(storyID int64)
}

type memEntry struct {
	version string
	ci      cachedInsight
}

type indexed struct {
	story model.Story
	ci    cachedInsight
}

func newInsightCache(st store.Store, log *slog.Logger, scan int, sum Summarizer) *insightCache {
	return &insightCache{st: st, log: log, mem: make(map[int64]memEntry),
		arts: make(map[int64][2][]string), flights: make(map[int64]*flight),
		refreshing: make(chan struct{}, 1), scan: scan, ai: newAIState(sum)}
}

// story returns the insight of st (whose articles are arts, or nil to read
// them), with related stories from the recent index.
func (c *insightCache) story(ctx context.Context, st model.Story, arts []model.Article) insightView {
	ci, err := c.get(ctx, st, arts)
	if err != nil {
		if ctx.Err() == nil { // a reader who left is no fault worth logging
			c.log.Warn("story insight", "story", st.ID, "err", err)
		}
		return insightView{}.normalize()
	}
	v := ci.View
	v.Related = c.relatedTo(ctx, st.ID, ci, 5)
	v.AISummary, v.AIOutlets = "", nil
	if ci.AI != nil && c.ai != nil { // stored summaries stay hidden once the feature is off
		v.AISummary, v.AIOutlets = ci.AI.Text, ci.AI.Outlets
	}
	c.wantSummary(st, ci)
	return v.normalize()
}

// get returns the insight of st. A current cached copy (memory, then store)
// is returned as is. An outdated one is returned too while a background
// refresh recomputes it: insight costs tens of milliseconds per story, and a
// busy story changes often. Only a story never computed waits, and
// concurrent requests for it share one computation.
func (c *insightCache) get(ctx context.Context, st model.Story, arts []model.Article) (cachedInsight, error) {
	ver := insightVersion(st)
	c.mu.Lock()
	e, ok := c.mem[st.ID]
	c.mu.Unlock()
	if !ok {
		sv, data, err := c.st.Insight(ctx, st.ID)
		switch {
		case err == nil:
			var ci cachedInsight
			if json.Unmarshal(data, &ci) == nil {
				e, ok = memEntry{version: sv, ci: ci}, true
				c.remember(st.ID, e)
			}
		case !errors.Is(err, store.ErrNotFound):
			return cachedInsight{}, fmt.Errorf("read cached insight: %w", err)
		}
	}
	if ok && e.version == ver {
		return e.ci, nil
	}
	if ok && strings.HasPrefix(e.version, insightCodeVersion+":") {
		c.refresh(st)
		return e.ci, nil
	}
	return c.compute(ctx, st, arts)
}

func (c *insightCache) remember(id int64, e memEntry) {
	c.mu.Lock()
	if len(c.mem) >= memInsights {
		clear(c.mem) // crude but bounded; the store still holds everything
	}
	c.mem[id] = e
	c.mu.Unlock()
}

// flight is one computation of a story's insight that others may wait on.
type flight struct {
	done chan struct{}
	ci   cachedInsight
	err  error
}

// compute computes, stores and remembers st's insight; concurrent callers
// for the same story wait for the first one's result.
func (c *insightCache) compute(ctx context.Context, st model.Story, arts []model.Article) (cachedInsight, error) {
	c.mu.Lock()
	if f, ok := c.flights[st.ID]; ok {
		c.mu.Unlock()
		select {
		case <-f.done:
			return f.ci, f.err
		case <-ctx.Done():
			return cachedInsight{}, ctx.Err()
		}
	}
	f := &flight{done: make(chan struct{})}
	c.flights[st.ID] = f
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.flights, st.ID)
		c.mu.Unlock()
		close(f.done)
	}()
	f.ci, f.err = c.computeNow(ctx, st, arts)
	return f.ci, f.err
}

func (c *insightCache) computeNow(ctx context.Context, st model.Story, arts []model.Article) (cachedInsight, error) {
	ver := insightVersion(st)
	// Another process sharing the store may have computed it already.
	if sv, data, err := c.st.Insight(ctx, st.ID); err == nil && sv == ver {
		var ci cachedInsight
		if json.Unmarshal(data, &ci) == nil {
			c.remember(st.ID, memEntry{version: ver, ci: ci})
			return ci, nil
		}
	}
	if arts == nil {
		all, _, err := storyArticles(ctx, c.st, st.ID, storyArticleCap)
		if err != nil {
			return cachedInsight{}, err
		}
		arts = all
	}
	ci, err := computeInsight(ctx, st, arts)
	if err != nil {
		return cachedInsight{}, err
	}
	// Keep showing the last machine-written summary until the story's new
	// version has its own.
	c.mu.Lock()
	if prev, ok := c.mem[st.ID]; ok {
		ci.AI = prev.ci.AI
	}
	c.mu.Unlock()
	data, err := json.Marshal(ci)
	if err != nil {
		return ci, fmt.Errorf("encode insight: %w", err)
	}
	if err := c.st.SaveInsight(ctx, st.ID, ver, data); err != nil {
		// Still usable: the next request recomputes.
		c.log.Warn("save insight", "story", st.ID, "err", err)
	}
	c.remember(st.ID, memEntry{version: ver, ci: ci})
	return ci, nil
}

// refresh recomputes st's insight in the background, one story at a time so
// refreshes never crowd out requests; when one is already running the next
// request to see the outdated copy asks again.
func (c *insightCache) refresh(st model.Story) {
	select {
	case c.refreshing <- struct{}{}:
	default:
		return
	}
	go func() {
		defer func() {
			<-c.refreshing
			if c.onRefreshed != nil {
				c.onRefreshed(st.ID)
			}
		}()
		defer func() {
			if v := recover(); v != nil {
				c.log.Error("insight refresh panic", "story", st.ID, "panic", v)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		if _, err := c.compute(ctx, st, nil); err != nil {
			c.log.Warn("insight refresh", "story", st.ID, "err", err)
		}
	}()
}

// recent returns the index of recent stories' insight. A stale index is
// rebuilt in the background while the old one is served. wait=true, when
// there is no index yet, waits a little for the first build (topic and
// entity pages have nothing to show without it).
func (c *insightCache) recent(ctx context.Context, wait bool) []indexed {
	c.idxMu.Lock()
	idx, at, done := c.idx, c.idxAt, c.idxDone
	if done == nil && (at.IsZero() || time.Since(at) >= indexMaxAge) {
		done = make(chan struct{})
		c.idxDone = done
		go c.build(done)
	}
	c.idxMu.Unlock()
	if at.IsZero() && wait {
		t := time.NewTimer(firstIndexWait)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
		case <-ctx.Done():
		}
		c.idxMu.Lock()
		idx = c.idx
		c.idxMu.Unlock()
	}
	return idx
}

// build reads the insight of the top stories into a new index, then closes
// done. It runs outside any request, where no middleware recovers panics.
func (c *insightCache) build(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	var idx []indexed
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("insight index panic", "panic", v)
		}
		c.idxMu.Lock()
		if idx != nil || c.idx == nil {
			c.idx = idx
		}
		c.idxAt, c.idxDone = time.Now(), nil
		c.idxMu.Unlock()
		close(done)
	}()
	cursor := ""
	for len(idx) < c.scan {
		stories, next, err := c.st.Stories(ctx, store.StoryQuery{Limit: min(100, c.scan-len(idx)), Cursor: cursor})
		if err != nil {
			c.log.Warn("insight index", "err", err)
			return
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
		// The first build publishes as it goes: topic pages waiting for
		// it show the top stories' tags before the long tail is read.
		c.idxMu.Lock()
		if c.idxAt.IsZero() {
			c.idx = slices.Clone(idx)
		}
		c.idxMu.Unlock()
	}
	if idx == nil {
		idx = []indexed{}
	}
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
func (c *insightCache) article(ctx context.Context, a model.Article) (keyPoints, hashtags []string) {
	c.mu.Lock()
	e, ok := c.arts[a.ID]
	c.mu.Unlock()
	if ok {
		return e[0], e[1]
	}
	keyPoints, hashtags, err := computeArticleInsight(ctx, a)
	if err != nil {
		if ctx.Err() == nil {
			c.log.Warn("article insight", "article", a.ID, "err", err)
		}
		return nil, nil // not remembered: the next view tries again
	}
	c.mu.Lock()
	if len(c.arts) >= memInsights {
		clear(c.arts)
	}
	c.arts[a.ID] = [2][]string{keyPoints, hashtags}
	c.mu.Unlock()
	return keyPoints, hashtags
}
