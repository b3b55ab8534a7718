package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dateline-news/dateline/internal/store"
)

// NextEpoch moves name's leader epoch on by one and returns it. A backend
// calls it once it holds name's lock, on the connection holding it where
// there is one, before it hands out the leadership.
func (db *Store) NextEpoch(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, name string) (int64, error) {
	var epoch int64
	err := q.QueryRowContext(ctx, db.Rebind(`INSERT INTO leader_epochs (name, epoch) VALUES (?, 1)
ON CONFLICT (name) DO UPDATE SET epoch = leader_epochs.epoch + 1 RETURNING epoch`), name).Scan(&epoch)
	if err != nil {
		return 0, fmt.Errorf("next leader epoch of %s: %w", name, err)
	}
	return epoch, nil
}

// checkEpoch fails with store.ErrFenced unless epoch is still name's
// current one. It writes the row (to the same value) rather than reading
// it: on PostgreSQL the row lock orders this transaction against a new
// leader's NextEpoch, which then waits for it to commit (so the new leader
// restores what it wrote), or makes it see the new epoch and fail.
func (db *Store) checkEpoch(ctx context.Context, tx *sql.Tx, name string, epoch int64) error {
	res, err := db.exec(ctx, tx, `UPDATE leader_epochs SET epoch = epoch WHERE name = ? AND epoch = ?`, name, epoch)
	if err != nil {
		return fmt.Errorf("check leader epoch: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("check leader epoch: %w", err)
	}
	if n != 1 {
		return fmt.Errorf("epoch %d of %s is not current: %w", epoch, name, store.ErrFenced)
	}
	return nil
}

// checkNew fails with store.ErrFenced when a story or storyline the
// assignment creates already exists: its id was allocated by a clusterer
// that does not know the stored state, and joining would merge unrelated
// news.
func (db *Store) checkNew(ctx context.Context, tx *sql.Tx, a store.Assignment) error {
	if a.New {
		var n int
		if err := db.queryRow(ctx, tx, `SELECT COUNT(*) FROM stories WHERE id = ?`, a.Story).Scan(&n); err != nil {
			return fmt.Errorf("check new story: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("new story %d already exists: %w", a.Story, store.ErrFenced)
		}
	}
	if a.NewStoryline && a.Storyline > 0 {
		var n int
		if err := db.queryRow(ctx, tx, `SELECT (SELECT COUNT(*) FROM stories WHERE storyline_id = ?)
 + (SELECT COUNT(*) FROM storyline_merges WHERE id = ?)`, a.Storyline, a.Storyline).Scan(&n); err != nil {
			return fmt.Errorf("check new storyline: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("new storyline %d already exists: %w", a.Storyline, store.ErrFenced)
		}
	}
	return nil
}
