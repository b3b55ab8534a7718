package account

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxReason is the longest report reason, in characters.
const MaxReason = 500

// Report flags comment id for the moderators. Reporting the same comment
// twice keeps one report.
func (s *Service) Report(ctx context.Context, u User, id int64, reason string) error {
	if err := s.canWrite(ctx, &u); err != nil {
		return err
	}
	reason = strings.TrimSpace(strings.ToValidUTF8(reason, ""))
	if utf8.RuneCountInString(reason) > MaxReason {
		return invalid("The reason is too long; the limit is %d characters.", MaxReason)
	}
	c, err := s.Comment(ctx, id)
	if err != nil {
		return err
	}
	if c.Deleted {
		return ErrNotFound
	}
	// Insert-if-absent in a form both backends accept.
	_, err = s.db.ExecContext(ctx, s.d.bind(
		`INSERT INTO comment_reports (comment_id, user_id, reason, created_at)
		 SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM comment_reports WHERE comment_id = ? AND user_id = ?)`),
		id, u.ID, reason, micros(s.Now()), id, u.ID)
	if err != nil {
		// Two concurrent reports by one user: the unique index kept one.
		if _, again := s.Comment(ctx, id); again == nil && strings.Contains(strings.ToLower(err.Error()), "unique") {
			return nil
		}
		return fmt.Errorf("report comment %d: %w", id, err)
	}
	return nil
}

// Flagged is a reported comment in the moderation queue.
type Flagged struct {
	Comment Comment
	Reports int
	Reasons []string
}

// Queue lists comments with open reports, most reported first, and the
// hidden comments (so they can be restored). Only moderators may call it.
func (s *Service) Queue(ctx context.Context, mod User) (reported []Flagged, hidden []Comment, err error) {
	if err := s.moderator(ctx, &mod); err != nil {
		return nil, nil, err
	}
	rows, err := s.rdb.QueryContext(ctx,
		`SELECT `+commentCols+`, r.reason FROM comment_reports r
		 JOIN comments c ON c.id = r.comment_id JOIN users u ON u.id = c.user_id
		 WHERE r.resolved = 0 ORDER BY c.id, r.id`)
	if err != nil {
		return nil, nil, fmt.Errorf("moderation queue: %w", err)
	}
	byID := map[int64]int{}
	for rows.Next() {
		var c Comment
		var created, edited int64
		var reason string
		if err := rows.Scan(&c.ID, &c.Kind, &c.TargetID, &c.ParentID, &c.UserID, &c.Author, &c.Body, &created, &edited, &c.Deleted, &c.Hidden, &reason); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("moderation queue: %w", err)
		}
		c.Created, c.Edited = fromMicros(created), fromMicros(edited)
		i, ok := byID[c.ID]
		if !ok {
			i = len(reported)
			byID[c.ID] = i
			reported = append(reported, Flagged{Comment: c})
		}
		reported[i].Reports++
		if reason != "" {
			reported[i].Reasons = append(reported[i].Reasons, reason)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("moderation queue: %w", err)
	}
	// Most reported first; stable keeps older comments first among equals.
	for i := 1; i < len(reported); i++ {
		for j := i; j > 0 && reported[j].Reports > reported[j-1].Reports; j-- {
			reported[j], reported[j-1] = reported[j-1], reported[j]
		}
	}
	hrows, err := s.rdb.QueryContext(ctx, `SELECT `+commentCols+` FROM comments c JOIN users u ON u.id = c.user_id
		WHERE c.hidden = 1 ORDER BY c.hidden_at DESC, c.id DESC LIMIT 200`)
	if err != nil {
		return nil, nil, fmt.Errorf("moderation queue: %w", err)
	}
	defer hrows.Close()
	for hrows.Next() {
		c, err := scanComment(hrows)
		if err != nil {
			return nil, nil, fmt.Errorf("moderation queue: %w", err)
		}
		hidden = append(hidden, c)
	}
	return reported, hidden, hrows.Err()
}

func (s *Service) moderator(ctx context.Context, u *User) error {
	if err := s.canWrite(ctx, u); err != nil {
		return err
	}
	if !u.Moderates() {
		return ErrForbidden
	}
	return nil
}

// Hide takes a comment out of public view (it stays stored) and closes its
// reports.
func (s *Service) Hide(ctx context.Context, mod User, id int64) error {
	return s.setHidden(ctx, mod, id, true)
}

// Restore makes a hidden comment public again.
func (s *Service) Restore(ctx context.Context, mod User, id int64) error {
	return s.setHidden(ctx, mod, id, false)
}

func (s *Service) setHidden(ctx context.Context, mod User, id int64, hidden bool) error {
	if err := s.moderator(ctx, &mod); err != nil {
		return err
	}
	if _, err := s.Comment(ctx, id); err != nil {
		return err
	}
	now := micros(s.Now())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("hide comment %d: %w", id, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.d.bind(`UPDATE comments SET hidden = ?, hidden_by = ?, hidden_at = ? WHERE id = ?`),
		flag(hidden), mod.ID, now, id); err != nil {
		return fmt.Errorf("hide comment %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, s.d.bind(`UPDATE comment_reports SET resolved = 1 WHERE comment_id = ?`), id); err != nil {
		return fmt.Errorf("hide comment %d: %w", id, err)
	}
	return tx.Commit()
}

// Dismiss closes a comment's reports without hiding it.
func (s *Service) Dismiss(ctx context.Context, mod User, id int64) error {
	if err := s.moderator(ctx, &mod); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE comment_reports SET resolved = 1 WHERE comment_id = ?`), id); err != nil {
		return fmt.Errorf("dismiss reports on %d: %w", id, err)
	}
	return nil
}

// SuspendAs suspends (or reinstates) an account on a moderator's behalf.
// Moderators cannot suspend moderators or admins; admins can suspend
// moderators; nobody suspends themselves.
func (s *Service) SuspendAs(ctx context.Context, mod User, username string, suspended bool) error {
	if err := s.moderator(ctx, &mod); err != nil {
		return err
	}
	target, err := s.UserByName(ctx, username)
	if err != nil {
		return err
	}
	if target.ID == mod.ID || target.Role == Admin || target.Role == Moderator && mod.Role != Admin {
		return ErrForbidden
	}
	return s.Suspend(ctx, target.Username, suspended)
}

// Follow kinds.
const (
	FollowTopic  = "topic"
	FollowSource = "source"
)

// Follow records that u follows a topic (hashtag, without '#', lower case)
// or a source (its id as decimal).
func (s *Service) Follow(ctx context.Context, u User, kind, value string, on bool) error {
	if err := s.canWrite(ctx, &u); err != nil {
		return err
	}
	value, err := normaliseFollow(kind, value)
	if err != nil {
		return err
	}
	if !on {
		if _, err := s.db.ExecContext(ctx, s.d.bind(`DELETE FROM user_follows WHERE user_id = ? AND kind = ? AND value = ?`), u.ID, kind, value); err != nil {
			return fmt.Errorf("unfollow: %w", err)
		}
		return nil
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, s.d.bind(`SELECT COUNT(*) FROM user_follows WHERE user_id = ?`), u.ID).Scan(&n); err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	if n >= 500 {
		return invalid("You follow 500 things already; unfollow some first.")
	}
	_, err = s.db.ExecContext(ctx, s.d.bind(
		`INSERT INTO user_follows (user_id, kind, value, created_at)
		 SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM user_follows WHERE user_id = ? AND kind = ? AND value = ?)`),
		u.ID, kind, value, micros(s.Now()), u.ID, kind, value)
	if err != nil && !strings.Contains(strings.ToLower(err.Error()), "unique") && !strings.Contains(err.Error(), "duplicate") {
		return fmt.Errorf("follow: %w", err)
	}
	return nil
}

func normaliseFollow(kind, value string) (string, error) {
	value = strings.TrimSpace(value)
	switch kind {
	case FollowTopic:
		value = strings.ToLower(strings.TrimPrefix(value, "#"))
		if value == "" || utf8.RuneCountInString(value) > 64 || !utf8.ValidString(value) || strings.ContainsAny(value, " \t\n\r") {
			return "", invalid("A topic is one word or hashtag of at most 64 characters.")
		}
		return value, nil
	case FollowSource:
		var id int64
		if _, err := fmt.Sscanf(value, "%d", &id); err != nil || id <= 0 || fmt.Sprint(id) != value {
			return "", invalid("Unknown outlet.")
		}
		return value, nil
	}
	return "", invalid("You can follow topics and outlets.")
}

// Follows returns the topics and source ids userID follows, oldest first.
func (s *Service) Follows(ctx context.Context, userID int64) (topics []string, sources []int64, err error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.bind(`SELECT kind, value FROM user_follows WHERE user_id = ? ORDER BY created_at, value`), userID)
	if err != nil {
		return nil, nil, fmt.Errorf("read follows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		if err := rows.Scan(&kind, &value); err != nil {
			return nil, nil, fmt.Errorf("read follows: %w", err)
		}
		switch kind {
		case FollowTopic:
			topics = append(topics, value)
		case FollowSource:
			var id int64
			if _, err := fmt.Sscanf(value, "%d", &id); err == nil {
				sources = append(sources, id)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read follows: %w", err)
	}
	return topics, sources, nil
}
