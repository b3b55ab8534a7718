package web

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/outlet"
	"github.com/dateline-news/dateline/internal/store"
)

// Affixes are relearned this often per outlet, from this many of its
// newest titles.
const (
	affixTTL     = 30 * time.Minute
	affixSample  = 60
	affixEntries = 4096
)

// titleCleaner removes each outlet's site-name affixes from headlines at
// display time, learning them from the outlet's own recent titles.
type titleCleaner struct {
	st store.Store

	mu sync.Mutex
	m  map[int64]affixEntry
}

type affixEntry struct {
	af outlet.Affixes
	at time.Time
}

func newTitleCleaner(st store.Store) *titleCleaner {
	return &titleCleaner{st: st, m: make(map[int64]affixEntry)}
}

// affixes returns the learned affixes of a source; on a read error none
// (titles are then only cleaned by the outlet's name). learn=false answers
// from the cache only.
func (c *titleCleaner) affixes(ctx context.Context, sourceID int64, learn bool) outlet.Affixes {
	if c == nil || sourceID == 0 {
		return outlet.Affixes{}
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[sourceID]
	c.mu.Unlock()
	if ok && (now.Sub(e.at) < affixTTL || !learn) {
		return e.af
	}
	if !learn {
		return outlet.Affixes{}
	}
	arts, _, err := c.st.Articles(ctx, store.ArticleQuery{SourceID: sourceID, Limit: affixSample})
	if err != nil {
		return outlet.Affixes{}
	}
	titles := make([]string, len(arts))
	for i, a := range arts {
		titles[i] = a.Title
	}
	af := outlet.Learn(titles)
	c.mu.Lock()
	if len(c.m) >= affixEntries {
		clear(c.m)
	}
	c.m[sourceID] = affixEntry{af: af, at: now}
	c.mu.Unlock()
	return af
}

// learnPerCall bounds the outlets whose affixes one cleanAll reads from the
// store (a story with hundreds of outlets must not cost hundreds of queries
// on one page view); the rest are cleaned by name until a later view.
const learnPerCall = 16

// title is a's headline without its outlet's affixes.
func (c *titleCleaner) title(ctx context.Context, a model.Article) string {
	return c.clean(a, c.affixes(ctx, a.SourceID, true))
}

func (c *titleCleaner) clean(a model.Article, af outlet.Affixes) string {
	return outlet.Clean(a.Title, af, a.Source.Name, a.SiteName, host(a.URL))
}

// cleanAll rewrites the titles of arts in place (arts must be the caller's own copy).
func (c *titleCleaner) cleanAll(ctx context.Context, arts []model.Article) {
	learned := map[int64]bool{}
	for i := range arts {
		id := arts[i].SourceID
		learn := learned[id] || len(learned) < learnPerCall
		learned[id] = learned[id] || learn
		arts[i].Title = c.clean(arts[i], c.affixes(ctx, id, learn))
	}
}

// storyHeadline cleans a story's headline: it is one article's title, so that
// article's outlet's affixes apply; raw holds the articles' titles as stored.
func storyHeadline(headline string, arts []model.Article, raw []string) string {
	h := strings.Join(strings.Fields(headline), " ")
	for i, a := range arts {
		if i < len(raw) && strings.Join(strings.Fields(raw[i]), " ") == h {
			return a.Title
		}
	}
	return outlet.Clean(headline, outlet.Affixes{})
}
