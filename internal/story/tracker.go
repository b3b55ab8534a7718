package story

import (
	"slices"
	"time"
)

// TrackerConfig configures the two levels a Tracker keeps: events (one
// happening, bounded in time) and storylines (the events that belong together
// over days to months).
type TrackerConfig struct {
	Event     Config
	Storyline Config
}

// DefaultTrackerConfig returns the configuration tuned on the evaluation sets.
func DefaultTrackerConfig() TrackerConfig {
	return TrackerConfig{Event: EventConfig(), Storyline: DefaultConfig()}
}

// EventConfig is the event level: stricter than a storyline, and bounded in
// time around the happening.
func EventConfig() Config {
	cfg := DefaultConfig()
	cfg.MergeThreshold = 2 // events do not merge: a merge is how topics drift
	cfg.IdentNames = 0     // a follow-up weeks later is a new event of the storyline
	// An event's coverage comes within a day and a half of its first report;
	// later coverage is a new event of the same storyline.
	cfg.EventSpan = 36 * time.Hour
	cfg.TimePenalty = 0
	// Names matter less than for storylines: one person or place recurs
	// across many events of a subject, so their words count once, at half
	// weight, and the centroid alone decides (no best-member shortcut).
	cfg.NameWords = false
	cfg.NameWeight = 0.5
	cfg.NoSharedNames = 1
	cfg.CentroidMix = 1
	cfg.StoryLength = false
	// Two headlines alone must agree closely to be one event; leads and full
	// texts share the event's words at lower cosines.
	cfg.ShortThreshold, cfg.MidThreshold, cfg.Threshold = 0.5, 0.2, 0.15
	cfg.SureMargin, cfg.RivalMargin = 0.2, 0.1
	return cfg
}

// Tracker groups documents into events and events into storylines, online.
// A document first finds its event; a document that starts a new event is
// then placed in a storyline, and every later member of that event follows it
// there, so a storyline is always a union of whole events.
type Tracker struct {
	events *Clusterer
	lines  *Clusterer
	lineOf map[int64]int64 // event -> storyline, for events in memory
	adds   int
}

// NewTracker returns a Tracker allocating event IDs from nextEvent and
// storyline IDs from nextStoryline upward.
func NewTracker(cfg TrackerConfig, nextEvent, nextStoryline int64) *Tracker {
	return &Tracker{
		events: New(cfg.Event, nextEvent),
		lines:  New(cfg.Storyline, nextStoryline),
		lineOf: map[int64]int64{},
	}
}

// Seed restores a stored document into its known event and storyline (see
// Clusterer.Seed). Seed documents in published order.
func (t *Tracker) Seed(d Doc, event, storyline int64) {
	t.events.Seed(d, event)
	t.lines.Seed(d, storyline)
	t.lineOf[event] = storyline
}

// Add assigns d to an event and that event to a storyline. The Assignment's
// Story is the event; Storyline and StorylinesMerged describe the storyline.
func (t *Tracker) Add(d Doc) Assignment {
	a := t.events.Add(d)
	for _, m := range a.Merged {
		delete(t.lineOf, m)
	}
	if line, ok := t.lineOf[a.Story]; ok && !a.New {
		// A later report of a known event follows it: a storyline is always
		// a union of whole events.
		t.lines.Seed(d, line)
		a.Storyline = line
	} else {
		// A new event (or one whose storyline has left memory) finds its
		// storyline as a document would.
		la := t.lines.Add(d)
		a.Storyline = la.Story
		a.StorylinesMerged = la.Merged
		if len(la.Merged) > 0 {
			for e, l := range t.lineOf {
				if slices.Contains(la.Merged, l) {
					t.lineOf[e] = la.Story
				}
			}
		}
	}
	t.lineOf[a.Story] = a.Storyline
	t.sweep()
	return a
}

// sweep forgets the storyline of events that have left memory.
func (t *Tracker) sweep() {
	t.adds++
	if t.adds%1024 != 0 {
		return
	}
	for e := range t.lineOf {
		if _, ok := t.events.stories[e]; !ok {
			delete(t.lineOf, e)
		}
	}
}
