// Package model holds the plain values that move through Dateline: sources,
// feeds, articles, stories and the people who comment on them.
package model

import "time"

// Source is an outlet: the publisher a reader sees named next to an article.
type Source struct {
	ID       int64
	Name     string
	HomeURL  string
	Country  string // ISO 3166-1 alpha-2, upper case
	Language string // ISO 639-1
	Category string // the operator's label ("science", "local"); may be empty
}

// Feed is one subscription URL of a source and its polling state.
type Feed struct {
	ID           int64
	SourceID     int64
	URL          string
	Title        string
	ETag         string
	LastModified string
	NextPoll     time.Time
	LastPoll     time.Time // zero until first poll
	LastStatus   int       // HTTP status of the last poll, 0 when the request failed
	LastError    string    // readable reason of the last failure, "" when healthy
	Failures     int       // consecutive failed polls, drives backoff
	FailingSince time.Time // first poll of the current run of failures; zero when healthy
	// Retired is when the poller stopped polling the feed because the
	// publisher said it is gone (410, or 404 for a day); zero while active.
	// A retired feed keeps its articles; remove and re-add it to poll again.
	Retired  time.Time
	PausedAt time.Time // when the operator paused polling, zero when active
	Articles int       // articles stored from this feed (filled on reads)
	Source   Source    // filled on reads
}

// Healthy reports whether the last poll succeeded.
func (f Feed) Healthy() bool { return f.LastError == "" }

// Paused reports whether the operator stopped polling the feed.
func (f Feed) Paused() bool { return !f.PausedAt.IsZero() }

// AuditEntry records one operator action on subscriptions.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string // "alice" from the web, "cli:root" from the command line
	Action string // add, remove, pause, resume, update, import
	Target string // the feed URL or file
	Detail string // the outcome, or why it was refused
}

// Article is one item of coverage, keyed by its canonical URL and, second,
// by its feed GUID.
type Article struct {
	ID        int64
	SourceID  int64
	FeedID    int64
	URL       string // canonical
	GUID      string
	Title     string
	Author    string
	Published time.Time
	Fetched   time.Time
	Text      string // plain text, paragraphs separated by "\n"
	HTML      string // sanitized
	Image     string
	Language  string
	SiteName  string
	StoryID   int64 // 0 until clustered
	CopyOf    int64 // nonzero: a syndicated copy of that article
	Reason    string
	Source    Source // filled on reads
}

// Story is the coverage of one event across outlets.
type Story struct {
	ID         int64
	Headline   string
	FirstSeen  time.Time
	Updated    time.Time
	Articles   int
	Outlets    int
	Countries  int
	Score      float64
	Image      string
	MergedInto int64 // nonzero: this story was merged and redirects there
	// StorylineID is the developing story this event belongs to (its own id
	// when it stands alone).
	StorylineID int64
	// StorylineEvents counts the live events of the storyline.
	StorylineEvents int
	// StorylineScore is the best Score among the storyline's live events:
	// the rank its newest event is listed at on the front page.
	StorylineScore float64
}

// Storyline is a developing story: the events (Stories) that belong
// together over days to months. It has no row of its own; its values are
// read from its events.
type Storyline struct {
	ID        int64
	Title     string    // headline of its broadest event (most outlets, then newest)
	FirstSeen time.Time // earliest article of any of its events
	Updated   time.Time // latest article of any of its events
	Events    int       // live events
	Articles  int       // articles across its events
	Outlets   int       // distinct outlets across its events
	// MergedInto is nonzero for a storyline folded into another: it has no
	// events of its own and its address redirects there.
	MergedInto int64
}
