package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/story"
)

// Grouper runs the online tracker over stored articles that have no story
// yet, in id order, and records each decision: the article's event (a
// story) and the event's storyline. Only one Grouper may run per
// database at a time (see store.TryLeader), since the clusterer's state is
// in memory: its writes carry the leader's epoch and say which ids are new,
// so one that outlived its leadership fails (store.ErrFenced) instead of
// merging articles into another leader's stories.
type Grouper struct {
	st     store.Store
	c      *story.Tracker
	now    func() time.Time
	log    *slog.Logger
	window time.Duration
	// lineHigh is the highest storyline id known: the tracker allocates new
	// ones above it.
	lineHigh int64
	// Epoch is the leadership's fencing token (store.Leadership.Epoch),
	// carried by every write; 0 writes unfenced (a test, a tool that owns
	// the database).
	Epoch int64
	// OnMerge, when set, runs after a story is merged into another, so that
	// what hangs off a story (comments) follows it.
	OnMerge func(ctx context.Context, from, into int64) error
}

// NewGrouper restores the tracker's recent window from storage so that a
// restart continues the same events and storylines rather than starting
// new ones.
func NewGrouper(ctx context.Context, st store.Store, log *slog.Logger, now func() time.Time) (*Grouper, error) {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	maxID, err := st.MaxStoryID(ctx)
	if err != nil {
		return nil, fmt.Errorf("resume story ids: %w", err)
	}
	maxLine, err := st.MaxStorylineID(ctx)
	if err != nil {
		return nil, fmt.Errorf("resume storyline ids: %w", err)
	}
	g := &Grouper{st: st, c: story.NewTracker(story.DefaultTrackerConfig(), maxID+1, maxLine+1),
		now: now, log: log, window: 7 * 24 * time.Hour, lineHigh: maxLine}
	if err := g.restore(ctx); err != nil {
		return nil, err
	}
	return g, nil
}

// restore seeds the clusterer with the clustered articles of the recent window,
// oldest first.
func (g *Grouper) restore(ctx context.Context) error {
	// The window ends at the newest stored article, not at the wall clock, so
	// a replayed historical corpus resumes as well as a live one.
	newest, _, err := g.st.Articles(ctx, store.ArticleQuery{Limit: 1})
	if err != nil {
		return fmt.Errorf("restore clusterer: %w", err)
	}
	if len(newest) == 0 {
		return nil
	}
	end := newest[0].Published
	if now := g.now(); now.Before(end) {
		end = now
	}
	since := end.Add(-g.window)
	var recent []model.Article
	cursor := ""
	for {
		page, next, err := g.st.Articles(ctx, store.ArticleQuery{Limit: 200, Cursor: cursor, Since: since})
		if err != nil {
			return fmt.Errorf("restore clusterer: %w", err)
		}
		recent = append(recent, page...)
		if next == "" || len(recent) > 50000 {
			break
		}
		cursor = next
	}
	lineOf := map[int64]int64{} // event -> storyline, read once per event
	for i := len(recent) - 1; i >= 0; i-- {
		a := recent[i]
		if a.StoryID == 0 {
			continue
		}
		line, ok := lineOf[a.StoryID]
		if !ok {
			ev, err := g.st.Story(ctx, a.StoryID)
			if err != nil {
				return fmt.Errorf("restore clusterer: storyline of story %d: %w", a.StoryID, err)
			}
			line = ev.StorylineID
			if line == 0 {
				line = ev.ID
			}
			lineOf[a.StoryID] = line
		}
		g.c.Seed(doc(a), a.StoryID, line)
		g.lineHigh = max(g.lineHigh, line)
	}
	return nil
}

// Step clusters up to limit waiting articles and returns how many it did.
// An error wrapping store.ErrFenced means this Grouper must stop: another
// leader took over, or its ids collide with stored ones.
func (g *Grouper) Step(ctx context.Context, limit int) (int, error) {
	arts, err := g.st.Unclustered(ctx, limit)
	if err != nil {
		return 0, fmt.Errorf("list unclustered articles: %w", err)
	}
	for i, a := range arts {
		as := g.c.Add(doc(a))
		newLine := as.Storyline > g.lineHigh
		_, err := g.st.Assign(ctx, store.Assignment{
			ArticleID: a.ID, Story: as.Story, Merged: as.Merged, CopyOf: as.CopyOf,
			Reason: as.Reason, Headline: as.Headline, Rank: story.Rank,
			Storyline: as.Storyline, StorylinesMerged: as.StorylinesMerged,
			New: as.New, NewStoryline: newLine, Epoch: g.Epoch,
		})
		if err != nil {
			return i, fmt.Errorf("assign article %d to story %d: %w", a.ID, as.Story, err)
		}
		if newLine {
			g.lineHigh = as.Storyline
		}
		for _, m := range as.Merged {
			if g.OnMerge != nil {
				if err := g.OnMerge(ctx, m, as.Story); err != nil {
					g.log.Error("follow a merge", "from", m, "into", as.Story, "err", err)
				}
			}
		}
	}
	return len(arts), nil
}

// Run clusters new articles until ctx ends (nil) or a write is fenced off
// (an error wrapping store.ErrFenced): the caller then gives up the
// leadership, and whoever leads next restores a fresh Grouper from the
// store.
func (g *Grouper) Run(ctx context.Context, tick time.Duration) error {
	for {
		n, err := g.Step(ctx, 500)
		if errors.Is(err, store.ErrFenced) {
			return err
		}
		if err != nil && ctx.Err() == nil {
			g.log.Error("cluster articles", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(tick):
		}
	}
}

func doc(a model.Article) story.Doc {
	return story.Doc{
		ID: a.ID, Title: a.Title, Text: a.Text, Source: a.Source.Name,
		Country: a.Source.Country, Lang: a.Language, Published: a.Published,
	}
}
