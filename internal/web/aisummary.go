package web

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dateline-news/dateline/internal/insight"
	"github.com/dateline-news/dateline/internal/model"
)

// Summarizer writes an abstractive summary of a story that names its outlets
// (internal/insight/llm implements it). Summarize is called in the
// background, never while a reader waits; any error keeps the extractive
// summary.
type Summarizer interface {
	Enabled() bool
	Summarize(ctx context.Context, storyID int64, arts []insight.Article) (string, error)
}

// aiSummary is a machine-written summary of one version of a story.
type aiSummary struct {
	Text    string   `json:"text"`
	Outlets []string `json:"outlets"` // the story's outlets the text names
	Version string   `json:"version"` // insightVersion it was written for
}

const (
	aiJobs    = 2                // summaries requested at once
	aiTimeout = 90 * time.Second // bound on one background summary job
	aiRetry   = 10 * time.Minute // pause before asking again after a failure
)

// aiState is the bookkeeping of background summary jobs.
type aiState struct {
	sum     Summarizer
	sem     chan struct{}
	pending map[int64]bool
	failed  map[int64]aiFailure

	now     func() time.Time // the server's clock (Options.Now), for retries
	started atomic.Int64     // jobs started, counted before wantSummary returns
	// onDone, when set (tests), is called as each job ends, after its
	// bookkeeping: a test waits for it instead of sleeping.
	onDone func(storyID int64, err error)
}

type aiFailure struct {
	version string
	at      time.Time
}

func newAIState(sum Summarizer) *aiState {
	if sum == nil || !sum.Enabled() {
		return nil
	}
	return &aiState{sum: sum, sem: make(chan struct{}, aiJobs), now: time.Now,
		pending: make(map[int64]bool), failed: make(map[int64]aiFailure)}
}

// wantSummary asks for a machine-written summary of st's current version
// when ci lacks one, unless a job for it runs or recently failed.
func (c *insightCache) wantSummary(st model.Story, ci cachedInsight) {
	ai := c.ai
	if ai == nil {
		return
	}
	ver := insightVersion(st)
	if ci.AI != nil && ci.AI.Version == ver {
		return
	}
	c.mu.Lock()
	f, failed := ai.failed[st.ID]
	if ai.pending[st.ID] || (failed && f.version == ver && ai.now().Sub(f.at) < aiRetry) {
		c.mu.Unlock()
		return
	}
	select {
	case ai.sem <- struct{}{}:
	default:
		c.mu.Unlock()
		return // busy: the next view asks again
	}
	ai.pending[st.ID] = true
	c.mu.Unlock()
	ai.started.Add(1)
	go func() {
		var err error
		defer func() {
			if v := recover(); v != nil {
				c.log.Error("ai summary panic", "story", st.ID, "panic", v)
				err = fmt.Errorf("ai summary panic: %v", v)
			}
			c.mu.Lock()
			delete(ai.pending, st.ID)
			c.mu.Unlock()
			<-ai.sem
			if ai.onDone != nil {
				ai.onDone(st.ID, err)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), aiTimeout)
		defer cancel()
		if err = c.summarize(ctx, st, ver); err != nil {
			c.log.Warn("ai summary", "story", st.ID, "err", err)
			c.mu.Lock()
			if len(ai.failed) >= memInsights {
				clear(ai.failed) // bounded; at worst a story is retried early
			}
			ai.failed[st.ID] = aiFailure{version: ver, at: ai.now()}
			c.mu.Unlock()
		}
	}()
}

// summarize asks for st's summary and stores it with the insight of version ver.
func (c *insightCache) summarize(ctx context.Context, st model.Story, ver string) error {
	arts, _, err := storyArticles(ctx, c.st, st.ID, storyArticleCap)
	if err != nil {
		return err
	}
	in := insightInput(arts)
	in = slices.Clone(in)
	// Oldest first: the first reports carry the facts the prompt starts with.
	slices.SortStableFunc(in, func(a, b model.Article) int { return a.Published.Compare(b.Published) })
	ins := make([]insight.Article, len(in))
	for i, a := range in {
		ins[i] = insightArticle(a)
	}
	text, err := c.ai.sum.Summarize(ctx, st.ID, ins)
	if err != nil {
		return err
	}
	ai := &aiSummary{Text: text, Outlets: namedOutlets(text, arts), Version: ver}

	c.mu.Lock()
	e, ok := c.mem[st.ID]
	c.mu.Unlock()
	if !ok || e.version != ver {
		ci, err := c.compute(ctx, st, arts)
		if err != nil {
			return err
		}
		e = memEntry{version: ver, ci: ci}
	}
	e.ci.AI = ai
	data, err := json.Marshal(e.ci)
	if err != nil {
		return err
	}
	c.remember(st.ID, e)
	if err := c.st.SaveInsight(ctx, st.ID, ver, data); err != nil {
		c.log.Warn("save insight", "story", st.ID, "err", err)
	}
	c.mu.Lock()
	delete(c.ai.failed, st.ID)
	c.mu.Unlock()
	return nil
}

// namedOutlets lists the outlets of arts that text names, most coverage first.
func namedOutlets(text string, arts []model.Article) []string {
	lt := strings.ToLower(text)
	var out []string
	for _, name := range outletsByCoverage(arts) {
		if name != "" && strings.Contains(lt, strings.ToLower(name)) {
			out = append(out, name)
		}
	}
	return out
}
