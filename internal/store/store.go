// Package store defines how Dateline keeps its data. Backends live in
// sub-packages (sqlite, postgres) and pass one conformance suite (storetest);
// open.Open picks one from a DSN, migrate.Copy moves data between them.
//
// Conventions both backends share, for packages that keep their own tables
// in the store's database through Store.SQL (accounts, lead images; their
// tables are created by the store's own migrations):
// times are BIGINT unix microseconds UTC with 0 for "unknown", ids are
// 64-bit integers, and every migration file of a backend is applied once,
// in name order, when the store is opened.
//
// Lists page with opaque cursors (the last row's sort keys): a page never
// repeats or skips a row because others were inserted meanwhile. A cursor
// that cannot be decoded gives an error wrapping ErrBadCursor.
package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dateline-news/dateline/internal/model"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrFenced is returned (wrapped) by a write carrying a leader's fencing
// token (Assignment.Epoch) after another leader took over, and by Assign
// when a story or storyline it was told to create already exists: the
// writer must stop, and the next leader restores from the store.
var ErrFenced = errors.New("not the leader any more")

// ClusterLeader is the leadership the clustering stage holds.
const ClusterLeader = "cluster"

// Leadership is a held leadership (see Store.TryLeader).
type Leadership struct {
	// Epoch is the fencing token: it grows with every acquisition of the
	// name, so a deposed leader's writes (Assignment.Epoch) are refused.
	Epoch int64
	// Lost is closed when the leadership ends: its lock was lost (the
	// connection holding it failed) or Release ran. The leader stops then.
	Lost <-chan struct{}
	// Release gives the leadership up (idempotent).
	Release func()
}

// Context returns a context that ends with parent or when the leadership
// is lost, for running the leader's work; cancel frees it.
func (l Leadership) Context(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancelCause := context.WithCancelCause(parent)
	go func() {
		select {
		case <-l.Lost:
			cancelCause(ErrFenced) // context.Cause tells a lost lock from a shutdown
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancelCause(context.Canceled) }
}

// ErrBadCursor is returned (wrapped) when a page cursor cannot be decoded; a
// web handler should answer 400.
var ErrBadCursor = errors.New("invalid cursor")

// ErrNameTaken is returned (wrapped) when a source is renamed to the name of
// another source (names are unique).
var ErrNameTaken = errors.New("name already taken")

// ArticleQuery selects a page of articles, newest first (published, then id).
type ArticleQuery struct {
	Limit    int    // 1..200, default 50
	Cursor   string // opaque, from a previous page's next cursor
	StoryID  int64  // only this story's articles
	SourceID int64  // only this outlet's articles
	Since    time.Time
}

// StoryQuery selects a page of stories, highest score first (then id,
// descending). Merged stories and stories without articles are never listed.
type StoryQuery struct {
	Limit  int    // 1..200, default 50
	Cursor string // opaque, from a previous page's next cursor
	// MinArticles hides stories with fewer articles; 0 and 1 list
	// single-article stories too (the default front page does).
	MinArticles int
	// PerStoryline lists at most one event per storyline: its newest live
	// event (latest FirstSeen, then id), when that one passes MinArticles,
	// ranked at the storyline's best live score (Story.StorylineScore,
	// then id). A small follow-up then shows the storyline's news without
	// sinking it below the rank its broad event earned, and an older event
	// never repeats it; the storyline page lists them all.
	PerStoryline bool
}

// RankFunc scores a story from its aggregates (story.Rank in production).
type RankFunc = func(outlets, countries, articles int, first, last time.Time) float64

// MaxStorylineEvents bounds the events Storyline returns (Storyline.Events
// still counts them all).
const MaxStorylineEvents = 500

// Assignment is what the clusterer decided for one article.
type Assignment struct {
	ArticleID int64
	Story     int64   // story to join or create (IDs are allocated by the clusterer)
	Merged    []int64 // stories folded into Story: their articles move, they redirect
	CopyOf    int64   // article this one is a syndicated copy of, 0 if none
	Reason    string  // why, for the story page
	Headline  string  // the story's current headline
	// Storyline is the storyline Story belongs to (0: leave it; a new story
	// then starts a storyline of its own id). StorylinesMerged are
	// storylines folded into Storyline: all their events move to it.
	Storyline        int64
	StorylinesMerged []int64
	// New says Story is a new story and NewStoryline that Storyline is a
	// new storyline: Assign then fails with ErrFenced, rather than merging
	// the article into someone else's, when the id is already in use.
	New, NewStoryline bool
	// Epoch, when set, is the clustering leader's fencing token
	// (Leadership.Epoch of ClusterLeader): Assign fails with ErrFenced once
	// another process has become the leader since.
	Epoch int64
	// Rank, when set, scores a story from its aggregates; Assign stores the
	// score of every story it recomputes (Story, and a story the article
	// left) in the same transaction, so the front page never sees a story
	// with new aggregates and an old score.
	Rank RankFunc
}

// Dialect names a backend's SQL dialect.
type Dialect string

const (
	DialectSQLite   Dialect = "sqlite"
	DialectPostgres Dialect = "postgres"
)

// SQLHandle is a backend's own database, for the packages that keep tables
// in it: the writer, the pool for reads (the writer itself where the backend
// has no separate one) and the dialect their SQL must speak.
type SQLHandle struct {
	DB, ReadDB *sql.DB
	Dialect    Dialect
}

// Store is everything the rest of Dateline asks of storage. Every method is
// safe for concurrent use; writes are transactional.
type Store interface {
	Close() error
	// SQL is the store's own database (see SQLHandle).
	SQL() SQLHandle

	// UpsertSource returns the source with this Name, creating or updating it.
	UpsertSource(ctx context.Context, s model.Source) (model.Source, error)
	Sources(ctx context.Context) ([]model.Source, error)
	// SourceArticles counts the stored articles of every source that has
	// any, by source ID (outlets loaded by an import have no feed).
	SourceArticles(ctx context.Context) (map[int64]int, error)
	// UpdateSource sets every field of the source with s.ID (rename,
	// country, language, category); ErrNotFound when there is none.
	UpdateSource(ctx context.Context, s model.Source) (model.Source, error)
	// SetSourceName renames source id (the outlet readers see). ErrNotFound
	// when there is no such source; an error wrapping ErrNameTaken when
	// another source already has the name.
	SetSourceName(ctx context.Context, id int64, name string) error

	// AddFeed subscribes to f.URL (idempotent: an existing feed is returned, created=false).
	AddFeed(ctx context.Context, f model.Feed) (feed model.Feed, created bool, err error)
	// RemoveFeed unsubscribes; stored articles stay.
	RemoveFeed(ctx context.Context, url string) error
	// SetFeedPaused pauses polling of the feed at url from at, or resumes it
	// (due at once) when at is zero; ErrNotFound when there is no such feed.
	// LeaseDueFeeds never returns a paused feed.
	SetFeedPaused(ctx context.Context, url string, at time.Time) error
	// Feeds lists all feeds with Source and Articles filled, by source name.
	Feeds(ctx context.Context) ([]model.Feed, error)
	// LeaseDueFeeds returns up to limit feeds whose NextPoll <= now and that no
	// other live lease holds, leasing them to owner until now+lease.
	LeaseDueFeeds(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]model.Feed, error)
	// RenewLease extends owner's lease on a feed it is still polling to
	// until; ErrNotFound when the lease is not owner's (any more).
	RenewLease(ctx context.Context, feedID int64, owner string, until time.Time) error
	// ReleaseLeases frees the leases owner holds (at start-up: a killed
	// process restarted under the same owner name resumes at once).
	ReleaseLeases(ctx context.Context, owner string) error
	// SaveFeedState stores the poll outcome (ETag, LastModified, NextPoll,
	// LastPoll, LastStatus, LastError, Failures, FailingSince, Title, Retired) and releases
	// the lease. A retired feed is never leased again.
	SaveFeedState(ctx context.Context, f model.Feed) error

	// AddAudit records an operator's action on subscriptions (At, Actor,
	// Action, Target, Detail); Audit lists the newest limit entries, newest
	// first.
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Audit(ctx context.Context, limit int) ([]model.AuditEntry, error)

	// HasArticle reports whether an article with this canonical URL, or with
	// this GUID from the same source, is stored.
	HasArticle(ctx context.Context, sourceID int64, url, guid string) (bool, error)
	// InsertArticle stores a new article and sets a.ID. An article with the same
	// canonical URL or same (source, GUID) is not duplicated: created=false and
	// a.ID is set to the existing row's.
	InsertArticle(ctx context.Context, a *model.Article) (created bool, err error)
	Article(ctx context.Context, id int64) (model.Article, error)
	// Articles returns a page (Source filled) and the cursor of the next page ("" at the end).
	Articles(ctx context.Context, q ArticleQuery) ([]model.Article, string, error)
	// Unclustered returns up to limit articles with no story yet, oldest id first.
	Unclustered(ctx context.Context, limit int) ([]model.Article, error)

	// Assign applies a clustering decision in one transaction: creates the story
	// if new, moves merged stories' articles and marks them MergedInto, sets the
	// article's story, copy-of and reason, and recomputes the story's
	// aggregates (FirstSeen, Updated, Articles, Outlets, Countries, Image);
	// it sets the story's storyline and moves the events of merged
	// storylines into it.
	Assign(ctx context.Context, a Assignment) (model.Story, error)
	// SetStoryScore stores the ranking score computed from a story's
	// aggregates (and its storyline's best score, Story.StorylineScore).
	SetStoryScore(ctx context.Context, id int64, score float64) error
	Story(ctx context.Context, id int64) (model.Story, error)
	// Stories returns live (not merged) stories by score, and the next cursor.
	Stories(ctx context.Context, q StoryQuery) ([]model.Story, string, error)
	// MaxStoryID is where the clusterer resumes allocating IDs.
	MaxStoryID(ctx context.Context) (int64, error)
	// Rescore recomputes the stored score of every live story with rank
	// (after the formula changed), and each storyline's best score, and
	// returns how many stories it scored.
	Rescore(ctx context.Context, rank RankFunc) (int, error)

	// Storyline returns a storyline and its live events, newest first
	// (FirstSeen, then id; at most MaxStorylineEvents of them). A storyline
	// merged into another comes back with only ID and MergedInto set and
	// no events; one that never had a live event is ErrNotFound.
	Storyline(ctx context.Context, id int64) (model.Storyline, []model.Story, error)
	// MaxStorylineID is where the clusterer resumes allocating storyline IDs.
	MaxStorylineID(ctx context.Context) (int64, error)

	// SaveInsight caches the enrichment of a story (summary, quotes, …) as an
	// opaque blob tagged with the version of the code that computed it.
	SaveInsight(ctx context.Context, storyID int64, version string, data []byte) error
	// Insight returns the cached blob, or ErrNotFound.
	Insight(ctx context.Context, storyID int64) (version string, data []byte, err error)

	// Search returns up to limit articles (Source filled) matching every word
	// of q, ranked by relevance and recency. q is plain user text: quotes and
	// operators carry no syntax. An empty q matches nothing.
	Search(ctx context.Context, q string, limit int) ([]model.Article, error)
	// SearchStories returns up to limit live stories whose articles match q,
	// ranked by their best article's relevance and recency.
	SearchStories(ctx context.Context, q string, limit int) ([]model.Story, error)

	// TryLeader makes this process the leader for name (e.g. ClusterLeader)
	// if no other holder exists; ok=false means someone else leads. ctx
	// bounds only the attempt. A leader stops leading when its Leadership's
	// Lost channel closes (the lock was lost, or Release ran) and calls
	// Release when it is done. On PostgreSQL leadership is a session
	// advisory lock held by a dedicated connection, pinged every few
	// seconds: a crashed leader frees it at once, and a leader whose
	// connection failed learns it was deposed. On SQLite it is an exclusive
	// lock on the file "<database>.<name>.lock", held by every process that
	// leads (a server, or an import next to it) and freed when that process
	// exits. Each acquisition moves name's epoch on (Leadership.Epoch), the
	// fencing token the leader's writes carry.
	TryLeader(ctx context.Context, name string) (lead Leadership, ok bool, err error)
}
