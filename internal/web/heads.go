package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

const (
	headArticles = 50              // newest articles kept per story
	headEntries  = 4096            // stories kept
	headMaxAge   = 1 * time.Minute // bound on staleness the version key misses
)

// storyHead is the newest slice of a story's coverage, trimmed to what
// listings show (no body text), so a listing needs one query for its stories
// rather than one more per story.
type storyHead struct {
	articles []model.Article // newest first, Text and HTML dropped
	outlets  []string        // by coverage, see outletsByCoverage
}

type headEntry struct {
	version string
	at      time.Time
	head    storyHead
}

// headCache remembers story heads keyed by the story's version (Updated and
// article count change whenever coverage does). Entries also expire, which
// covers edits the version does not see (a reason rewritten in place).
type headCache struct {
	mu sync.Mutex
	m  map[int64]headEntry
}

func newHeadCache() *headCache { return &headCache{m: make(map[int64]headEntry)} }

func headVersion(st model.Story) string {
	return fmt.Sprintf("%d:%d", st.Updated.UnixNano(), st.Articles)
}

// head returns the cached head of st, reading it from the store on a miss.
func (c *headCache) head(ctx context.Context, db store.Store, st model.Story) (storyHead, error) {
	ver := headVersion(st)
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[st.ID]
	c.mu.Unlock()
	if ok && e.version == ver && now.Sub(e.at) < headMaxAge {
		return e.head, nil
	}
	arts, _, err := db.Articles(ctx, store.ArticleQuery{StoryID: st.ID, Limit: headArticles})
	if err != nil {
		return storyHead{}, fmt.Errorf("articles of story %d: %w", st.ID, err)
	}
	for i := range arts {
		arts[i].Text, arts[i].HTML = "", ""
	}
	h := storyHead{articles: arts, outlets: outletsByCoverage(arts)}
	c.mu.Lock()
	if len(c.m) >= headEntries {
		clear(c.m)
	}
	c.m[st.ID] = headEntry{version: ver, at: now, head: h}
	c.mu.Unlock()
	return h, nil
}
