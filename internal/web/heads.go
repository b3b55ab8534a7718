package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// headMaxAge bounds the staleness the version key misses.
const headMaxAge = 1 * time.Minute

// storyHead is the newest slice of a story's coverage, trimmed to what
// listings and the story page show (no body text), so a listing needs one
// query for its stories rather than one more per story.
type storyHead struct {
	raw       []string        // articles' titles as stored, for cleaning the story headline
	snippet   string          // one line of the newest article with text
	articles  []model.Article // newest first, Text and HTML dropped, titles cleaned
	outlets   []string        // by coverage, see outletsByCoverage
	truncated bool            // the story has more articles than were read
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
	limit   int // articles read per story
	entries int // stories kept
	titles  *titleCleaner

	mu sync.Mutex
	m  map[int64]headEntry
}

func newHeadCache(limit, entries int, titles *titleCleaner) *headCache {
	return &headCache{limit: limit, entries: entries, titles: titles, m: make(map[int64]headEntry)}
}

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
	arts, truncated, err := storyArticles(ctx, db, st.ID, c.limit)
	if err != nil {
		return storyHead{}, err
	}
	raw := make([]string, len(arts))
	// The snippet comes from the article the headline is taken from (same
	// language and angle), else the newest one with text.
	snippet := ""
	for _, a := range arts {
		if strings.TrimSpace(a.Title) == strings.TrimSpace(st.Headline) {
			snippet = oneLine(a.Text, a.Title)
			break
		}
	}
	for i := range arts {
		if snippet == "" {
			snippet = oneLine(arts[i].Text, arts[i].Title)
		}
		arts[i].Text, arts[i].HTML = "", ""
		raw[i] = arts[i].Title
	}
	c.titles.cleanAll(ctx, arts)
	h := storyHead{raw: raw, snippet: snippet, articles: arts, outlets: outletsByCoverage(arts), truncated: truncated}
	c.mu.Lock()
	if len(c.m) >= c.entries {
		clear(c.m)
	}
	c.m[st.ID] = headEntry{version: ver, at: now, head: h}
	c.mu.Unlock()
	return h, nil
}

// headline is the story's headline cleaned like its articles' titles (the
// headline may change without the head's version changing).
func (h storyHead) headline(headline string) string {
	return storyHeadline(headline, h.articles, h.raw)
}
