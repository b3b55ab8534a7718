package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Target kinds a comment can be attached to.
const (
	KindStory   = "story"
	KindArticle = "article"
)

// MaxComment is the longest comment body, in characters.
const MaxComment = 5000

// Comment is one comment with its author's name. Replies is filled on
// top-level comments by Comments.
type Comment struct {
	ID       int64
	Kind     string
	TargetID int64
	ParentID int64 // 0 for a top-level comment
	UserID   int64
	Author   string
	Body     string // plain text as typed; "" once deleted
	Created  time.Time
	Edited   time.Time // zero if never edited
	Deleted  bool
	Hidden   bool
	Replies  []Comment
}

// Order of top-level comments; replies are always oldest first.
type Order int

// Comment orders.
const (
	Oldest Order = iota
	Newest
)

// ParseOrder reads "newest"; anything else is Oldest.
func ParseOrder(s string) Order {
	if s == "newest" {
		return Newest
	}
	return Oldest
}

func validKind(kind string) bool { return kind == KindStory || kind == KindArticle }

// NormaliseBody cleans a comment as typed and checks its length: CRLF becomes
// LF, control characters other than newline and tab go, surrounding space is
// trimmed, invalid UTF-8 is refused.
func NormaliseBody(body string) (string, error) {
	if !utf8.ValidString(body) {
		return "", invalid("The comment is not valid text.")
	}
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, body)
	body = strings.TrimSpace(body)
	n := utf8.RuneCountInString(body)
	if n == 0 {
		return "", invalid("The comment is empty.")
	}
	if n > MaxComment {
		return "", invalid("The comment is %d characters long; the limit is %d.", n, MaxComment)
	}
	return body, nil
}

// Post adds a comment by u on (kind, target). A reply to a reply is attached
// to the top-level comment, keeping one level of replies. Posting is rate
// limited per user (*LimitError).
func (s *Service) Post(ctx context.Context, u User, kind string, target, parent int64, body string) (Comment, error) {
	if !validKind(kind) || target <= 0 {
		return Comment{}, ErrBadTarget
	}
	if err := s.canWrite(ctx, &u); err != nil {
		return Comment{}, err
	}
	body, err := NormaliseBody(body)
	if err != nil {
		return Comment{}, err
	}
	if parent != 0 {
		p, err := s.Comment(ctx, parent)
		if errors.Is(err, ErrNotFound) || err == nil && (p.Kind != kind || p.TargetID != target || p.Deleted || p.Hidden) {
			return Comment{}, invalid("The comment you are replying to is gone.")
		}
		if err != nil {
			return Comment{}, err
		}
		if p.ParentID != 0 {
			parent = p.ParentID
		}
	}
	now := s.Now()
	key := fmt.Sprintf("c:%d", u.ID)
	// Reserved before the insert so concurrent posts cannot overrun the limit.
	if ok, w := s.comments.reserve(key, now); !ok {
		return Comment{}, &LimitError{Wait: w}
	}
	c := Comment{Kind: kind, TargetID: target, ParentID: parent, UserID: u.ID, Author: u.Username, Body: body, Created: fromMicros(micros(now))}
	err = s.db.QueryRowContext(ctx, s.d.bind(
		`INSERT INTO comments (target_kind, target_id, user_id, parent_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		kind, target, u.ID, parent, body, micros(now)).Scan(&c.ID)
	if err != nil {
		s.comments.refund(key, now)
		return Comment{}, fmt.Errorf("post comment: %w", err)
	}
	return c, nil
}

// canWrite reloads u so that a suspension or role change made since the
// session was read takes effect at once.
func (s *Service) canWrite(ctx context.Context, u *User) error {
	if u.ID == 0 {
		return ErrNoSession
	}
	fresh, err := s.UserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	*u = fresh
	if u.Suspended {
		return ErrSuspended
	}
	return nil
}

const commentCols = `c.id, c.target_kind, c.target_id, c.parent_id, c.user_id, u.username, c.body, c.created_at, c.edited_at, c.deleted, c.hidden`

func scanComment(row interface{ Scan(...any) error }) (Comment, error) {
	var c Comment
	var created, edited int64
	err := row.Scan(&c.ID, &c.Kind, &c.TargetID, &c.ParentID, &c.UserID, &c.Author, &c.Body, &created, &edited, &c.Deleted, &c.Hidden)
	c.Created, c.Edited = fromMicros(created), fromMicros(edited)
	return c, err
}

// Comment returns one comment as stored, hidden or deleted alike.
func (s *Service) Comment(ctx context.Context, id int64) (Comment, error) {
	c, err := scanComment(s.rdb.QueryRowContext(ctx, s.d.bind(
		`SELECT `+commentCols+` FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Comment{}, ErrNotFound
	}
	if err != nil {
		return Comment{}, fmt.Errorf("read comment %d: %w", id, err)
	}
	return c, nil
}

// Comments returns the discussion of (kind, target) as viewer may see it:
// top-level comments in order, each with its replies oldest first. Hidden
// comments (and replies under a hidden comment) are left out unless the viewer
// moderates; deleted ones stay as placeholders with an empty body.
func (s *Service) Comments(ctx context.Context, viewer User, kind string, target int64, order Order) ([]Comment, error) {
	if !validKind(kind) {
		return nil, ErrBadTarget
	}
	q := `SELECT ` + commentCols + ` FROM comments c JOIN users u ON u.id = c.user_id
	      WHERE c.target_kind = ? AND c.target_id = ?`
	if !viewer.Moderates() {
		q += ` AND c.hidden = 0`
	}
	q += ` ORDER BY c.created_at, c.id`
	rows, err := s.rdb.QueryContext(ctx, s.d.bind(q), kind, target)
	if err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	var top []Comment
	replies := map[int64][]Comment{}
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("list comments: %w", err)
		}
		if c.Deleted {
			c.Body = ""
		}
		if c.ParentID == 0 {
			top = append(top, c)
		} else {
			replies[c.ParentID] = append(replies[c.ParentID], c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	for i := range top {
		top[i].Replies = replies[top[i].ID]
	}
	if order == Newest {
		for i, j := 0, len(top)-1; i < j; i, j = i+1, j-1 {
			top[i], top[j] = top[j], top[i]
		}
	}
	return top, nil
}

// Counts returns how many comments a reader sees (not hidden, not deleted,
// not under a hidden comment) on each of ids; ids without any are absent.
func (s *Service) Counts(ctx context.Context, kind string, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	// Chunk to stay far below either backend's parameter limit.
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := []any{kind}
		for _, id := range chunk {
			args = append(args, id)
		}
		// Replies under a hidden comment are not shown, so not counted.
		q := `SELECT c.target_id, COUNT(*) FROM comments c
		      WHERE c.target_kind = ? AND c.deleted = 0 AND c.hidden = 0 AND c.target_id IN (?` + strings.Repeat(", ?", len(chunk)-1) + `)
		        AND NOT EXISTS (SELECT 1 FROM comments p WHERE p.id = c.parent_id AND p.hidden = 1)
		      GROUP BY c.target_id`
		rows, err := s.rdb.QueryContext(ctx, s.d.bind(q), args...)
		if err != nil {
			return nil, fmt.Errorf("count comments: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("count comments: %w", err)
			}
			out[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("count comments: %w", err)
		}
	}
	return out, nil
}

// CanEdit reports whether u may edit c now: own, live, and within the window.
func (s *Service) CanEdit(u User, c Comment) bool {
	return u.ID != 0 && c.UserID == u.ID && !c.Deleted && !c.Hidden && s.Now().Sub(c.Created) <= s.opts.EditWindow
}

// Edit replaces the body of u's own comment within the edit window.
func (s *Service) Edit(ctx context.Context, u User, id int64, body string) (Comment, error) {
	if err := s.canWrite(ctx, &u); err != nil {
		return Comment{}, err
	}
	c, err := s.Comment(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if c.UserID != u.ID || c.Deleted || c.Hidden {
		return Comment{}, ErrForbidden
	}
	if s.Now().Sub(c.Created) > s.opts.EditWindow {
		return Comment{}, ErrEditExpired
	}
	body, err = NormaliseBody(body)
	if err != nil {
		return Comment{}, err
	}
	now := s.Now()
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND user_id = ?`),
		body, micros(now), id, u.ID); err != nil {
		return Comment{}, fmt.Errorf("edit comment %d: %w", id, err)
	}
	c.Body, c.Edited = body, fromMicros(micros(now))
	return c, nil
}

// Delete soft-deletes u's own comment: it shows as "[deleted]" and its
// replies stay.
func (s *Service) Delete(ctx context.Context, u User, id int64) (Comment, error) {
	if u.ID == 0 {
		return Comment{}, ErrNoSession
	}
	c, err := s.Comment(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if c.UserID != u.ID {
		return Comment{}, ErrForbidden
	}
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE comments SET deleted = 1 WHERE id = ? AND user_id = ?`), id, u.ID); err != nil {
		return Comment{}, fmt.Errorf("delete comment %d: %w", id, err)
	}
	c.Deleted = true
	return c, nil
}

// MoveComments re-attaches every comment of (kind, from) to (kind, to), for
// when the clusterer merges story from into story to.
func (s *Service) MoveComments(ctx context.Context, kind string, from, to int64) error {
	if !validKind(kind) {
		return ErrBadTarget
	}
	if _, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE comments SET target_id = ? WHERE target_kind = ? AND target_id = ?`), to, kind, from); err != nil {
		return fmt.Errorf("move comments %s %d to %d: %w", kind, from, to, err)
	}
	return nil
}
