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
	line := DefaultConfig()
	// Both levels read a document alike, so it is analysed once: a
	// recurring person or place says little about which event a report
	// belongs to, and (measured on the dev sets) storylines lose nothing
	// when names count at half weight and once.
	line.NameWords = false
	line.NameWeight = 0.5
	return TrackerConfig{Event: EventConfig(), Storyline: line}
}

// sameAnalysis reports whether two configurations turn a document into the
// same features, so one analysis can serve both.
func sameAnalysis(a, b Config) bool {
	return a.TitleWeight == b.TitleWeight && a.LeadWeight == b.LeadWeight && a.LeadTokens == b.LeadTokens &&
		a.NameWeight == b.NameWeight && a.NumberWeight == b.NumberWeight && a.NameWords == b.NameWords &&
		a.MaxTerms == b.MaxTerms && a.MaxBodyTokens == b.MaxBodyTokens && a.IDFPower == b.IDFPower &&
		a.MinCopyTokens == b.MinCopyTokens && a.DFHalfLife == b.DFHalfLife
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
	// shared: both levels use the events' analyser and document
	// frequencies, and the Tracker analyses each document once.
	shared bool
}

// NewTracker returns a Tracker allocating event IDs from nextEvent and
// storyline IDs from nextStoryline upward.
func NewTracker(cfg TrackerConfig, nextEvent, nextStoryline int64) *Tracker {
	t := &Tracker{
		events: New(cfg.Event, nextEvent),
		lines:  New(cfg.Storyline, nextStoryline),
		lineOf: map[int64]int64{},
		shared: sameAnalysis(cfg.Event, cfg.Storyline),
	}
	if t.shared {
		t.lines.an, t.lines.df = t.events.an, t.events.df
	}
	return t
}

// Seed restores a stored document into its known event and storyline (see
// Clusterer.Seed). Seed documents in published order.
func (t *Tracker) Seed(d Doc, event, storyline int64) {
	if t.shared {
		f, hs := t.events.an.analyze(&d, t.events.df)
		t.events.df.add(hs)
		t.events.an.learn(d.Source, storyline, &f)
		t.events.seed(d, event, f)
		t.lines.seed(d, storyline, f)
	} else {
		t.events.Seed(d, event)
		t.lines.Seed(d, storyline)
	}
	t.lineOf[event] = storyline
}

// Add assigns d to an event and that event to a storyline. The Assignment's
// Story is the event; Storyline and StorylinesMerged describe the storyline.
func (t *Tracker) Add(d Doc) Assignment {
	var (
		f  features
		hs []uint64
		a  Assignment
	)
	if t.shared {
		// The events' level counts the document frequencies; the analyser
		// learns (outlet boilerplate by story) once both levels decided.
		f, hs = t.events.an.analyze(&d, t.events.df)
		a = t.events.add(d, f, hs, false)
		if a.CopyOf == 0 {
			t.events.df.add(hs)
		}
	} else {
		a = t.events.Add(d)
	}
	for _, m := range a.Merged {
		delete(t.lineOf, m)
	}
	if line, ok := t.lineOf[a.Story]; ok && !a.New {
		// A later report of a known event follows it: a storyline is always
		// a union of whole events.
		if t.shared {
			t.lines.seed(d, line, f)
		} else {
			t.lines.Seed(d, line)
		}
		a.Storyline = line
	} else {
		// A new event (or one whose storyline has left memory) finds its
		// storyline as a document would.
		var la Assignment
		if t.shared {
			la = t.lines.add(d, f, hs, false)
		} else {
			la = t.lines.Add(d)
		}
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
	if t.shared {
		t.events.an.learn(d.Source, a.Storyline, &f)
	}
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
