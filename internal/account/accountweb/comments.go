package accountweb

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/account"
)

// commentView is one comment as a template shows it.
type commentView struct {
	account.Comment
	Body      template.HTML
	CanEdit   bool
	CanDelete bool
	CanReport bool
	CanReply  bool
	Moderate  bool   // offer hide/restore on the page itself
	Here      string // page to come back to after moderating
	Replies   []commentView
}

// sectionView is the comment section of one story or article.
type sectionView struct {
	Kind      string
	ID        int64
	Count     int
	Comments  []commentView
	User      account.User
	LoggedIn  bool
	Moderates bool
	Newest    bool
	Here      string // the page's path, to come back to after logging in
	Notice    string
	Error     string
	Body      string // text to put back into the form
	Parent    int64
}

// Section renders the comment area of (kind, id) for r's reader: the
// comments and a form, or an invitation to log in. It is the inside of the
// page's comments section (no wrapper, no heading), so that Handler is a
// web.Comments hook as is.
func (h *Handler) Section(r *http.Request, kind string, id int64) (template.HTML, error) {
	u, ok := h.User(r)
	v, err := h.section(r, u, ok, kind, id)
	if err != nil {
		return template.HTML(`<p class="error">Comments are unavailable right now.</p>`), fmt.Errorf("comment section of %s %d: %w", kind, id, err)
	}
	switch r.URL.Query().Get("comment") {
	case "reported":
		v.Notice = "Thank you. A moderator will look at that comment."
	case "deleted":
		v.Notice = "Your comment is deleted."
	}
	var b strings.Builder
	if err := h.pages["section"].ExecuteTemplate(&b, "section", v); err != nil {
		return template.HTML(`<p class="error">Comments are unavailable right now.</p>`), fmt.Errorf("render comment section: %w", err)
	}
	return template.HTML(b.String()), nil
}

func (h *Handler) section(r *http.Request, u account.User, loggedIn bool, kind string, id int64) (sectionView, error) {
	order := account.ParseOrder(r.URL.Query().Get("order"))
	cs, err := h.svc.Comments(r.Context(), u, kind, id, order)
	if err != nil {
		return sectionView{}, err
	}
	v := sectionView{Kind: kind, ID: id, User: u, LoggedIn: loggedIn, Moderates: u.Moderates(),
		Newest: order == account.Newest, Here: localPath(r.URL.Path)}
	for _, c := range cs {
		cv := h.commentView(u, c, v.Here)
		v.Count += visible(c)
		for _, rep := range c.Replies {
			cv.Replies = append(cv.Replies, h.commentView(u, rep, v.Here))
			v.Count += visible(rep)
		}
		v.Comments = append(v.Comments, cv)
	}
	return v, nil
}

func visible(c account.Comment) int {
	if c.Deleted || c.Hidden {
		return 0
	}
	return 1
}

func (h *Handler) commentView(u account.User, c account.Comment, here string) commentView {
	own := u.ID != 0 && u.ID == c.UserID
	return commentView{
		Comment:   c,
		Body:      Linkify(c.Body),
		CanEdit:   h.svc.CanEdit(u, c),
		CanDelete: own && !c.Deleted,
		CanReport: u.ID != 0 && !own && !c.Deleted && !c.Hidden,
		CanReply:  u.ID != 0 && !c.Deleted && !c.Hidden,
		Moderate:  u.Moderates() && !c.Deleted,
		Here:      here,
	}
}

// composeData backs the page that returns a refused comment to its writer.
type composeData struct {
	Kind   string
	ID     int64
	Parent int64
	Body   string
}

func (h *Handler) postComment(w http.ResponseWriter, r *http.Request) {
	kind := r.PostFormValue("kind")
	target, _ := strconv.ParseInt(r.PostFormValue("target"), 10, 64)
	parent, _ := strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	body := r.PostFormValue("body")
	if kind != account.KindStory && kind != account.KindArticle || target <= 0 || parent < 0 {
		h.notFound(w, r)
		return
	}
	back := h.opts.TargetURL(kind, target)
	u, ok := h.requireUser(w, r, back)
	if !ok {
		return
	}
	if h.opts.TargetExists != nil {
		exists, err := h.opts.TargetExists(r.Context(), kind, target)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !exists {
			h.notFound(w, r)
			return
		}
	}
	c, err := h.svc.Post(r.Context(), u, kind, target, parent, body)
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("%s#c%d", back, c.ID), http.StatusSeeOther)
		return
	}
	h.refuseComment(w, r, u, err, "compose", composeData{Kind: kind, ID: target, Parent: parent, Body: body})
}

// refuseComment shows a comment form again with its text and what was wrong.
func (h *Handler) refuseComment(w http.ResponseWriter, r *http.Request, u account.User, err error, page string, data any) {
	status, msg := statusOf(err)
	var le *account.LimitError
	switch {
	case status == http.StatusInternalServerError:
		h.log.Error("comment", "err", err)
	case errors.As(err, &le):
		w.Header().Set("Retry-After", strconv.Itoa(le.Seconds()))
		msg = fmt.Sprintf("You are posting too fast. Try again in %d s.", le.Seconds())
	}
	h.render(w, r, status, page, view{Title: "Your comment", User: u, Error: msg, Data: data})
}

// editData backs the edit page.
type editData struct {
	Comment account.Comment
	Body    string
	Back    string
	Until   time.Time
}

func (h *Handler) ownComment(w http.ResponseWriter, r *http.Request) (account.User, account.Comment, bool) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return account.User{}, account.Comment{}, false
	}
	u, ok := h.requireUser(w, r, r.URL.Path)
	if !ok {
		return account.User{}, account.Comment{}, false
	}
	c, err := h.svc.Comment(r.Context(), id)
	if err == nil && c.Hidden && !u.Moderates() && c.UserID != u.ID {
		err = account.ErrNotFound
	}
	if err != nil {
		h.fail(w, r, err)
		return account.User{}, account.Comment{}, false
	}
	return u, c, true
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) {
	u, c, ok := h.ownComment(w, r)
	if !ok {
		return
	}
	switch {
	case c.UserID != u.ID || c.Deleted || c.Hidden:
		h.fail(w, r, account.ErrForbidden)
	case !h.svc.CanEdit(u, c):
		h.fail(w, r, account.ErrEditExpired)
	default:
		h.render(w, r, http.StatusOK, "edit", view{Title: "Edit your comment", User: u,
			Data: editData{Comment: c, Body: c.Body, Back: h.opts.TargetURL(c.Kind, c.TargetID), Until: c.Created.Add(h.svc.EditWindow())}})
	}
}

func (h *Handler) editComment(w http.ResponseWriter, r *http.Request) {
	u, c, ok := h.ownComment(w, r)
	if !ok {
		return
	}
	body := r.PostFormValue("body")
	e, err := h.svc.Edit(r.Context(), u, c.ID, body)
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("%s#c%d", h.opts.TargetURL(e.Kind, e.TargetID), e.ID), http.StatusSeeOther)
		return
	}
	var inv *account.InvalidError
	if !errors.As(err, &inv) {
		h.fail(w, r, err)
		return
	}
	h.refuseComment(w, r, u, err, "edit", editData{Comment: c, Body: body,
		Back: h.opts.TargetURL(c.Kind, c.TargetID), Until: c.Created.Add(h.svc.EditWindow())})
}

func (h *Handler) deleteComment(w http.ResponseWriter, r *http.Request) {
	u, c, ok := h.ownComment(w, r)
	if !ok {
		return
	}
	if _, err := h.svc.Delete(r.Context(), u, c.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s?comment=deleted#c%d", h.opts.TargetURL(c.Kind, c.TargetID), c.ID), http.StatusSeeOther)
}

func (h *Handler) reportComment(w http.ResponseWriter, r *http.Request) {
	u, c, ok := h.ownComment(w, r)
	if !ok {
		return
	}
	if err := h.svc.Report(r.Context(), u, c.ID, r.PostFormValue("reason")); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s?comment=reported#c%d", h.opts.TargetURL(c.Kind, c.TargetID), c.ID), http.StatusSeeOther)
}

// apiComment is a comment in the JSON API.
type apiComment struct {
	ID       int64        `json:"id"`
	Author   string       `json:"author"`
	Body     string       `json:"body"`
	Created  time.Time    `json:"created"`
	Edited   *time.Time   `json:"edited,omitempty"`
	ParentID int64        `json:"parent_id"`
	Deleted  bool         `json:"deleted,omitempty"`
	Hidden   bool         `json:"hidden,omitempty"`
	Replies  []apiComment `json:"replies"`
}

func toAPI(c account.Comment) apiComment {
	a := apiComment{ID: c.ID, Author: c.Author, Body: c.Body, Created: c.Created, ParentID: c.ParentID,
		Deleted: c.Deleted, Hidden: c.Hidden, Replies: []apiComment{}}
	if c.Deleted {
		a.Author = ""
	}
	if !c.Edited.IsZero() {
		e := c.Edited
		a.Edited = &e
	}
	for _, rep := range c.Replies {
		a.Replies = append(a.Replies, toAPI(rep))
	}
	return a
}

// apiComments serves GET /api/v1/{stories|articles}/{id}/comments?order=newest.
func (h *Handler) apiComments(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		id, ok := pathID(r)
		if ok && h.opts.TargetExists != nil {
			exists, err := h.opts.TargetExists(r.Context(), kind, id)
			if err != nil {
				h.log.Error("comments api", "err", err)
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte(`{"error":"internal error"}`))
				return
			}
			ok = exists
		}
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"not found"}`))
			return
		}
		u, _ := h.User(r)
		cs, err := h.svc.Comments(r.Context(), u, kind, id, account.ParseOrder(r.URL.Query().Get("order")))
		if err != nil {
			h.log.Error("comments api", "err", err)
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"error":"internal error"}`))
			return
		}
		out := struct {
			Comments []apiComment `json:"comments"`
		}{Comments: []apiComment{}}
		for _, c := range cs {
			out.Comments = append(out.Comments, toAPI(c))
		}
		if u.ID != 0 {
			w.Header().Set("Cache-Control", "private, no-store")
		}
		json.NewEncoder(w).Encode(out)
	}
}
