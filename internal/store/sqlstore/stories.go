package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// StoryCols selects a story (alias t).
const StoryCols = `t.id, t.headline, t.first_seen, t.updated, t.articles, t.outlets, t.countries, t.score, t.image, t.merged_into`

// ScanStory scans StoryCols (then extra destinations) from sc.
func ScanStory(sc interface{ Scan(...any) error }, extra ...any) (model.Story, error) {
	var s model.Story
	var first, updated int64
	dest := []any{&s.ID, &s.Headline, &first, &updated, &s.Articles, &s.Outlets, &s.Countries, &s.Score, &s.Image, &s.MergedInto}
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
func (db *Store) Assign(ctx context.Context, a store.Assignment) (model.Story, error) {
	if a.Story <= 0 {
		return model.Story{}, fmt.Errorf("assign article %d: story id %d", a.ArticleID, a.Story)
	}
	var out model.Story
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.exec(ctx, tx, `INSERT INTO stories (id, headline) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
			a.Story, a.Headline); err != nil {
			return fmt.Errorf("create story: %w", err)
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
			}
		}
		if err := db.recompute(ctx, tx, a.Story, a.Headline, a.Rank); err != nil {
			return err
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

// recompute refreshes a story's aggregates from its articles (see Assign),
// its headline when one is given and its score when rank is set.
func (db *Store) recompute(ctx context.Context, tx *sql.Tx, story int64, headline string,
	rank func(outlets, countries, articles int, first, last time.Time) float64) error {
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
		setScore, score = 1, rank(outlets, countries, n, Time(first), Time(last))
		if math.IsInf(score, 0) || math.IsNaN(score) {
			score = -1e300 // an empty story; not every backend stores infinities
		}
	}
	if _, err := db.exec(ctx, tx, `UPDATE stories SET headline = CASE WHEN ? <> '' THEN ? ELSE headline END,
 first_seen = ?, updated = ?, articles = ?, outlets = ?, countries = ?, image = ?,
 score = CASE WHEN ? = 1 THEN ? ELSE score END WHERE id = ?`,
		headline, headline, first, last, n, outlets, countries, image, setScore, score, story); err != nil {
		return fmt.Errorf("update story %d: %w", story, err)
	}
	return nil
}

// SetStoryScore stores a story's ranking score.
func (db *Store) SetStoryScore(ctx context.Context, id int64, score float64) error {
	res, err := db.exec(ctx, db.W, `UPDATE stories SET score = ? WHERE id = ?`, score, id)
	if err == nil {
		err = mustAffect(res)
	}
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

// Stories returns live stories by (score, id) descending and the next cursor.
func (db *Store) Stories(ctx context.Context, q store.StoryQuery) ([]model.Story, string, error) {
	limit := clampLimit(q.Limit)
	query := `SELECT ` + StoryCols + ` FROM stories t WHERE t.merged_into = 0 AND t.articles >= ?`
	args := []any{max(q.MinArticles, 1)}
	if q.Cursor != "" {
		k, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", fmt.Errorf("list stories: %w", err)
		}
		score, id, err := k.float()
		if err != nil {
			return nil, "", fmt.Errorf("list stories: %w", err)
		}
		query += ` AND (t.score, t.id) < (?, ?)` // row value: an index seek on both engines
		args = append(args, score, id)
	}
	query += ` ORDER BY t.score DESC, t.id DESC LIMIT ?`
	args = append(args, limit+1)
	out, err := db.scanStories(ctx, db.R, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list stories: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(last.Score, last.ID)
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
