package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// StoryCols selects a story (alias t).
const StoryCols = `t.id, t.headline, t.first_seen, t.updated, t.articles, t.outlets, t.countries, t.score, t.image, t.merged_into, t.storyline_id, t.line_events, t.line_score`

// ScanStory scans StoryCols (then extra destinations) from sc.
func ScanStory(sc interface{ Scan(...any) error }, extra ...any) (model.Story, error) {
	var s model.Story
	var first, updated int64
	dest := []any{&s.ID, &s.Headline, &first, &updated, &s.Articles, &s.Outlets, &s.Countries, &s.Score, &s.Image, &s.MergedInto, &s.StorylineID, &s.StorylineEvents, &s.StorylineScore}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return model.Story{}, err
	}
	s.FirstSeen, s.Updated = Time(first), Time(updated)
	return s, nil
}

// effTime is an article's time for story aggregates: published when known,
// else when it was fetched.
const effTime = `CASE WHEN a.published <> 0 THEN a.published ELSE a.fetched END`

// Assign applies one clustering decision in one transaction. The story's
// aggregates are recomputed from its articles: Articles counts every article
// including syndicated copies, Outlets counts distinct sources (a copy run by
// another outlet is still that outlet's coverage), Countries counts distinct
// non-empty source countries. FirstSeen/Updated are the earliest/latest
// article time (published, else fetched); Image is the earliest original
// article's image, else any copy's. Headline is replaced when a.Headline is
// not empty. Stories merged into a.Story redirect to it, and so do stories
// that had been merged into them, so a redirect is always one hop. An
// article moved out of another story leaves that story recomputed too.
// A new story joins a.Storyline, or starts a storyline of its own id; the
// events of a.StorylinesMerged move to a.Storyline. With a.Epoch set the
// leader's fencing token is checked first, and a story or storyline marked
// New must not exist yet (store.ErrFenced otherwise, nothing written).
func (db *Store) Assign(ctx context.Context, a store.Assignment) (model.Story, error) {
	if a.Story <= 0 {
		return model.Story{}, fmt.Errorf("assign article %d: story id %d", a.ArticleID, a.Story)
	}
	var out model.Story
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if a.Epoch != 0 {
			if err := db.checkEpoch(ctx, tx, store.ClusterLeader, a.Epoch); err != nil {
				return err
			}
		}
		if err := db.checkNew(ctx, tx, a); err != nil {
			return err
		}
		// The storylines this step touches, read before and after it, get
		// their newest event and event count refreshed at the end.
		touched := append([]int64{a.Story}, a.Merged...)
		lines, err := db.storylinesOf(ctx, tx, touched)
		if err != nil {
			return err
		}
		line := a.Storyline
		if line <= 0 {
			line = a.Story
		}
		if _, err := db.exec(ctx, tx, `INSERT INTO stories (id, headline, storyline_id) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			a.Story, a.Headline, line); err != nil {
			return fmt.Errorf("create story: %w", err)
		}
		if a.Storyline > 0 {
			if _, err := db.exec(ctx, tx, `UPDATE stories SET storyline_id = ? WHERE id = ? AND storyline_id <> ?`,
				a.Storyline, a.Story, a.Storyline); err != nil {
				return fmt.Errorf("set storyline of story: %w", err)
			}
			var merged []any
			for _, m := range a.StorylinesMerged {
				if m > 0 && m != a.Storyline {
					merged = append(merged, m)
				}
			}
			if len(merged) > 0 {
				in := `(` + placeholders(len(merged)) + `)`
				args := append([]any{a.Storyline}, merged...)
				if _, err := db.exec(ctx, tx, `UPDATE stories SET storyline_id = ? WHERE storyline_id IN `+in, args...); err != nil {
					return fmt.Errorf("merge storylines %v into %d: %w", merged, a.Storyline, err)
				}
				// Redirects stay one hop: those into a merged storyline follow it.
				if _, err := db.exec(ctx, tx, `UPDATE storyline_merges SET merged_into = ? WHERE merged_into IN `+in, args...); err != nil {
					return fmt.Errorf("merge storylines %v into %d: %w", merged, a.Storyline, err)
				}
				for _, m := range merged {
					if _, err := db.exec(ctx, tx, `INSERT INTO storyline_merges (id, merged_into) VALUES (?, ?)
ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into`, m, a.Storyline); err != nil {
						return fmt.Errorf("merge storyline %d into %d: %w", m, a.Storyline, err)
					}
				}
			}
			// A storyline that takes events is live, whatever it was before.
			if _, err := db.exec(ctx, tx, `DELETE FROM storyline_merges WHERE id = ?`, a.Storyline); err != nil {
				return fmt.Errorf("set storyline of story: %w", err)
			}
		}
		for _, m := range a.Merged {
			if m == 0 || m == a.Story {
				continue
			}
			if _, err := db.exec(ctx, tx, `UPDATE articles SET story_id = ? WHERE story_id = ?`, a.Story, m); err != nil {
				return fmt.Errorf("move articles of story %d: %w", m, err)
			}
			if _, err := db.exec(ctx, tx, `UPDATE stories SET merged_into = ?, articles = 0, outlets = 0, countries = 0
WHERE id = ? OR merged_into = ?`, a.Story, m, m); err != nil {
				return fmt.Errorf("merge story %d: %w", m, err)
			}
		}
		if a.ArticleID != 0 {
			// An article moving out of another story leaves that story's
			// aggregates to recompute too.
			var prev int64
			err := db.queryRow(ctx, tx, `SELECT story_id FROM articles WHERE id = ?`, a.ArticleID).Scan(&prev)
			if err != nil {
				return fmt.Errorf("set story of article: %w", notFound(err))
			}
			if _, err := db.exec(ctx, tx, `UPDATE articles SET story_id = ?, copy_of = ?, reason = ? WHERE id = ?`,
				a.Story, a.CopyOf, a.Reason, a.ArticleID); err != nil {
				return fmt.Errorf("set story of article: %w", err)
			}
			if prev != 0 && prev != a.Story && !slices.Contains(a.Merged, prev) {
				if err := db.recompute(ctx, tx, prev, "", a.Rank); err != nil {
					return err
				}
				touched = append(touched, prev)
			}
		}
		if err := db.recompute(ctx, tx, a.Story, a.Headline, a.Rank); err != nil {
			return err
		}
		after, err := db.storylinesOf(ctx, tx, touched)
		if err != nil {
			return err
		}
		lines = append(lines, after...)
		slices.Sort(lines)
		for _, l := range slices.Compact(lines) {
			if err := db.refreshStoryline(ctx, tx, l); err != nil {
				return err
			}
		}
		st, err := ScanStory(db.queryRow(ctx, tx, `SELECT `+StoryCols+` FROM stories t WHERE t.id = ?`, a.Story))
		out = st
		return err
	})
	if err != nil {
		return model.Story{}, fmt.Errorf("assign article %d to story %d: %w", a.ArticleID, a.Story, err)
	}
	return out, nil
}

// storylinesOf returns the distinct storylines of the given stories.
func (db *Store) storylinesOf(ctx context.Context, tx *sql.Tx, ids []int64) ([]int64, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, tx, `SELECT DISTINCT storyline_id FROM stories WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("storylines of stories %v: %w", ids, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var l int64
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("storylines of stories %v: %w", ids, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// refreshStoryline marks the storyline's newest live event (latest
// first_seen, then id) with line_newest = 1, the others 0, and stores the
// storyline's live event count and best live score on each event, so
// listings read them from the row. Only rows whose values change are
// written. Run it after the storyline's scores are recomputed.
func (db *Store) refreshStoryline(ctx context.Context, tx *sql.Tx, line int64) error {
	if line == 0 {
		return nil
	}
	const live = `storyline_id = ? AND merged_into = 0 AND articles > 0`
	var newest int64
	err := db.queryRow(ctx, tx, `SELECT id FROM stories WHERE `+live+` ORDER BY first_seen DESC, id DESC LIMIT 1`, line).Scan(&newest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("newest event of storyline %d: %w", line, err)
	}
	var n int
	var best sql.NullFloat64 // NULL without live events: each row keeps its own score
	if err := db.queryRow(ctx, tx, `SELECT COUNT(*), MAX(score) FROM stories WHERE `+live, line).Scan(&n, &best); err != nil {
		return fmt.Errorf("events of storyline %d: %w", line, err)
	}
	if _, err := db.exec(ctx, tx, `UPDATE stories SET line_newest = CASE WHEN id = ? THEN 1 ELSE 0 END, line_events = ?,
 line_score = COALESCE(?, score)
WHERE storyline_id = ? AND (line_newest <> CASE WHEN id = ? THEN 1 ELSE 0 END OR line_events <> ? OR line_score <> COALESCE(?, score))`,
		newest, n, best, line, newest, n, best); err != nil {
		return fmt.Errorf("refresh storyline %d: %w", line, err)
	}
	return nil
}

// lineScore sets line_score on every event of the storylines of the
// stories matching where (a condition with args) from the events' current
// scores, in one statement; rows already right are not written.
func (db *Store) lineScore(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	const best = `COALESCE((SELECT MAX(b.score) FROM stories b
 WHERE b.storyline_id = stories.storyline_id AND b.merged_into = 0 AND b.articles > 0), stories.score)`
	_, err := db.exec(ctx, tx, `UPDATE stories SET line_score = `+best+`
WHERE storyline_id IN (SELECT storyline_id FROM stories WHERE `+where+`) AND line_score <> `+best, args...)
	return err
}

// recompute refreshes a story's aggregates from its articles (see Assign),
// its headline when one is given and its score when rank is set.
func (db *Store) recompute(ctx context.Context, tx *sql.Tx, story int64, headline string,
	rank store.RankFunc) error {
	var n, outlets, countries int
	var first, last int64
	err := db.queryRow(ctx, tx, `SELECT COUNT(*), COUNT(DISTINCT a.source_id),
 COUNT(DISTINCT CASE WHEN s.country <> '' THEN s.country END),
 COALESCE(MIN(`+effTime+`), 0), COALESCE(MAX(`+effTime+`), 0)
FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.story_id = ?`, story).
		Scan(&n, &outlets, &countries, &first, &last)
	if err != nil {
		return fmt.Errorf("aggregate story %d: %w", story, err)
	}
	var image string
	err = db.queryRow(ctx, tx, `SELECT a.image FROM articles a WHERE a.story_id = ? AND a.image <> ''
ORDER BY CASE WHEN a.copy_of = 0 THEN 0 ELSE 1 END, `+effTime+`, a.id LIMIT 1`, story).Scan(&image)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("image of story %d: %w", story, err)
	}
	setScore, score := 0, 0.0
	if rank != nil {
		setScore, score = 1, finite(rank(outlets, countries, n, Time(first), Time(last)))
	}
	if _, err := db.exec(ctx, tx, `UPDATE stories SET headline = CASE WHEN ? <> '' THEN ? ELSE headline END,
 first_seen = ?, updated = ?, articles = ?, outlets = ?, countries = ?, image = ?,
 score = CASE WHEN ? = 1 THEN ? ELSE score END WHERE id = ?`,
		headline, headline, first, last, n, outlets, countries, image, setScore, score, story); err != nil {
		return fmt.Errorf("update story %d: %w", story, err)
	}
	return nil
}

// finite maps a score backends cannot store (an empty story's -Inf) to the
// lowest one they can.
func finite(score float64) float64 {
	if math.IsInf(score, 0) || math.IsNaN(score) {
		return -1e300
	}
	return score
}

// SetStoryScore stores a story's ranking score and refreshes its
// storyline's best score.
func (db *Store) SetStoryScore(ctx context.Context, id int64, score float64) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `UPDATE stories SET score = ? WHERE id = ?`, score, id)
		if err == nil {
			err = mustAffect(res)
		}
		if err != nil {
			return err
		}
		return db.lineScore(ctx, tx, `id = ?`, id)
	})
	if err != nil {
		return fmt.Errorf("set score of story %d: %w", id, err)
	}
	return nil
}

// Story returns one story, merged or not (callers follow MergedInto).
func (db *Store) Story(ctx context.Context, id int64) (model.Story, error) {
	s, err := ScanStory(db.queryRow(ctx, db.R, `SELECT `+StoryCols+` FROM stories t WHERE t.id = ?`, id))
	if err != nil {
		return model.Story{}, fmt.Errorf("story %d: %w", id, notFound(err))
	}
	return s, nil
}

// Stories returns live stories by (score, id) descending and the next
// cursor; with PerStoryline, the storylines' newest events by their
// storyline's best score (line_score, id) descending.
func (db *Store) Stories(ctx context.Context, q store.StoryQuery) ([]model.Story, string, error) {
	limit := clampLimit(q.Limit)
	query := `SELECT ` + StoryCols + ` FROM stories t WHERE t.merged_into = 0 AND t.articles >= ?`
	args := []any{max(q.MinArticles, 1)}
	key := `t.score`
	if q.PerStoryline {
		query += ` AND t.line_newest = 1`
		key = `t.line_score`
	}
	if q.Cursor != "" {
		k, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", fmt.Errorf("list stories: %w", err)
		}
		score, id, err := k.float()
		if err != nil {
			return nil, "", fmt.Errorf("list stories: %w", err)
		}
		query += ` AND (` + key + `, t.id) < (?, ?)` // row value: an index seek on both engines
		args = append(args, score, id)
	}
	query += ` ORDER BY ` + key + ` DESC, t.id DESC LIMIT ?`
	args = append(args, limit+1)
	out, err := db.scanStories(ctx, db.R, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list stories: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		if q.PerStoryline {
			next = encodeCursor(last.StorylineScore, last.ID)
		} else {
			next = encodeCursor(last.Score, last.ID)
		}
	}
	return out, next, nil
}

func (db *Store) scanStories(ctx context.Context, q querier, query string, args ...any) ([]model.Story, error) {
	rows, err := db.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Story
	for rows.Next() {
		s, err := ScanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Storyline returns a storyline and its live events, newest first. Its
// title is the headline of its broadest event (most outlets, then the
// newest): the event most outlets reported is the one a reader knows the
// storyline by, and it does not change with every small follow-up.
func (db *Store) Storyline(ctx context.Context, id int64) (model.Storyline, []model.Story, error) {
	events, err := db.scanStories(ctx, db.R, `SELECT `+StoryCols+` FROM stories t
WHERE t.storyline_id = ? AND t.merged_into = 0 AND t.articles > 0
ORDER BY t.first_seen DESC, t.id DESC LIMIT ?`, id, store.MaxStorylineEvents)
	if err != nil {
		return model.Storyline{}, nil, fmt.Errorf("storyline %d: %w", id, err)
	}
	if len(events) == 0 || id == 0 {
		var into int64
		err := db.queryRow(ctx, db.R, `SELECT merged_into FROM storyline_merges WHERE id = ?`, id).Scan(&into)
		if err == nil {
			return model.Storyline{ID: id, MergedInto: into}, nil, nil
		}
		return model.Storyline{}, nil, fmt.Errorf("storyline %d: %w", id, notFound(err))
	}
	l := model.Storyline{ID: id}
	var first, updated int64
	var title sql.NullString
	err = db.queryRow(ctx, db.R, `SELECT COUNT(*), COALESCE(SUM(t.articles), 0), COALESCE(MIN(t.first_seen), 0), COALESCE(MAX(t.updated), 0),
 (SELECT b.headline FROM stories b WHERE b.storyline_id = ? AND b.merged_into = 0 AND b.articles > 0
  ORDER BY b.outlets DESC, b.first_seen DESC, b.id DESC LIMIT 1)
FROM stories t WHERE t.storyline_id = ? AND t.merged_into = 0 AND t.articles > 0`, id, id).
		Scan(&l.Events, &l.Articles, &first, &updated, &title)
	if err != nil {
		return model.Storyline{}, nil, fmt.Errorf("storyline %d: %w", id, err)
	}
	l.FirstSeen, l.Updated, l.Title = Time(first), Time(updated), title.String
	err = db.queryRow(ctx, db.R, `SELECT COUNT(DISTINCT a.source_id) FROM articles a
JOIN stories t ON t.id = a.story_id WHERE t.storyline_id = ? AND t.merged_into = 0`, id).Scan(&l.Outlets)
	if err != nil {
		return model.Storyline{}, nil, fmt.Errorf("outlets of storyline %d: %w", id, err)
	}
	return l, events, nil
}

// MaxStorylineID returns the highest storyline id stored, 0 when none.
func (db *Store) MaxStorylineID(ctx context.Context) (int64, error) {
	var id int64
	// Merged storylines' ids count too: a redirect must never point at a
	// reused id.
	if err := db.queryRow(ctx, db.W, `SELECT COALESCE(MAX(m), 0) FROM (SELECT MAX(storyline_id) AS m FROM stories
UNION ALL SELECT MAX(id) FROM storyline_merges) x`).Scan(&id); err != nil {
		return 0, fmt.Errorf("max storyline id: %w", err)
	}
	return id, nil
}

// rescoreBatch is how many stories one Rescore transaction updates, so a
// large database is rescored without holding the writer for long.
const rescoreBatch = 500

// Rescore recomputes the score of every live story from its stored
// aggregates, in id order, one transaction per batch, and the best score
// (line_score) of each storyline the batch touches.
func (db *Store) Rescore(ctx context.Context, rank store.RankFunc) (int, error) {
	if rank == nil {
		return 0, errors.New("rescore: no rank function")
	}
	type agg struct {
		id                           int64
		outlets, countries, articles int
		first, last                  int64
	}
	n := 0
	var after int64
	for {
		var batch []agg
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			rows, err := db.query(ctx, tx, `SELECT id, outlets, countries, articles, first_seen, updated FROM stories
WHERE merged_into = 0 AND id > ? ORDER BY id LIMIT ?`, after, rescoreBatch)
			if err != nil {
				return err
			}
			for rows.Next() {
				var g agg
				if err := rows.Scan(&g.id, &g.outlets, &g.countries, &g.articles, &g.first, &g.last); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, g)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, g := range batch {
				score := finite(rank(g.outlets, g.countries, g.articles, Time(g.first), Time(g.last)))
				if _, err := db.exec(ctx, tx, `UPDATE stories SET score = ? WHERE id = ?`, score, g.id); err != nil {
					return fmt.Errorf("story %d: %w", g.id, err)
				}
			}
			if len(batch) == 0 {
				return nil
			}
			// The storylines of this batch's stories take their best new
			// score; one spanning later batches is set again there, and by
			// its last batch all its events are rescored.
			if err := db.lineScore(ctx, tx, `merged_into = 0 AND id > ? AND id <= ?`, after, batch[len(batch)-1].id); err != nil {
				return fmt.Errorf("storyline scores: %w", err)
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("rescore stories after %d: %w", after, err)
		}
		n += len(batch)
		if len(batch) < rescoreBatch {
			return n, nil
		}
		after = batch[len(batch)-1].id
	}
}

// MaxStoryID returns the highest story id stored, 0 when none.
func (db *Store) MaxStoryID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.queryRow(ctx, db.W, `SELECT COALESCE(MAX(id), 0) FROM stories`).Scan(&id); err != nil {
		return 0, fmt.Errorf("max story id: %w", err)
	}
	return id, nil
}

// SaveInsight caches a story's enrichment, replacing an older one.
func (db *Store) SaveInsight(ctx context.Context, storyID int64, version string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	_, err := db.exec(ctx, db.W, `INSERT INTO story_insight (story_id, version, data) VALUES (?, ?, ?)
ON CONFLICT (story_id) DO UPDATE SET version = excluded.version, data = excluded.data`, storyID, version, data)
	if err != nil {
		return fmt.Errorf("save insight of story %d: %w", storyID, err)
	}
	return nil
}

// Insight returns a story's cached enrichment or store.ErrNotFound.
func (db *Store) Insight(ctx context.Context, storyID int64) (string, []byte, error) {
	var version string
	var data []byte
	err := db.queryRow(ctx, db.R, `SELECT version, data FROM story_insight WHERE story_id = ?`, storyID).Scan(&version, &data)
	if err != nil {
		return "", nil, fmt.Errorf("insight of story %d: %w", storyID, notFound(err))
	}
	return version, data, nil
}
