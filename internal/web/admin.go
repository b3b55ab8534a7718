package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/feedadmin"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// checkBudget bounds how long adding feeds from a form spends checking and
// discovering them: the page must answer well within the server's write
// timeout. Feeds not checked in time are subscribed as given.
const checkBudget = 25 * time.Second

// maxOPMLUpload bounds an uploaded OPML file; lists of thousands of feeds
// stay well under it.
const maxOPMLUpload = 2 << 20

// adminRoutes registers feed management for administrators. Its POSTs sit
// behind the cross-origin protection every state-changing request passes.
func (s *server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/feeds", s.adminFeedsPage)
	mux.HandleFunc("POST /admin/feeds", s.adminFeedsAction)
	mux.HandleFunc("POST /admin/feeds/opml", s.adminFeedsImport)
	mux.HandleFunc("GET /opml", s.exportOPML)
	mux.HandleFunc("GET /api/v1/openapi.json", serveOpenAPI)
}

// auditShown is how many recent actions /admin/feeds lists.
const auditShown = 20

type adminData struct {
	Audit   []model.AuditEntry
	Rows    []feedRow
	Status  ingestStatus
	Message string   // what the last action did
	Lines   []string // per-feed details of the last action
	Error   string   // why the last action failed
	Form    feedadmin.Request
}

// admin returns the signed-in administrator, or answers 403 and returns nil.
func (s *server) admin(w http.ResponseWriter, r *http.Request) *Reader {
	rd := s.reader(r)
	if rd.IsAdmin() {
		return rd
	}
	msg := "Feeds are managed by administrators. Sign in at /login with an administrator's account."
	if rd != nil {
		msg = "Feeds are managed by administrators; this account is not one."
	}
	s.errorPage(w, r, http.StatusForbidden, "Administrators only", msg)
	return nil
}

func (s *server) adminFeedsPage(w http.ResponseWriter, r *http.Request) {
	rd := s.admin(w, r)
	if rd == nil {
		return
	}
	s.renderAdmin(w, r, rd, http.StatusOK, adminData{})
}

func (s *server) renderAdmin(w http.ResponseWriter, r *http.Request, rd *Reader, status int, d adminData) {
	rows, st, err := s.feedRows(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	st.Admin = true
	d.Rows, d.Status = rows, st
	if d.Audit, err = s.st.Audit(r.Context(), auditShown); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "admin_feeds.html", page{Title: "Manage feeds", Reader: rd, Data: d})
}

// adminFeedsAction applies one form action to a feed: add, pause, resume,
// update (rename, country, language, category) or remove.
func (s *server) adminFeedsAction(w http.ResponseWriter, r *http.Request) {
	rd := s.admin(w, r)
	if rd == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderAdmin(w, r, rd, http.StatusBadRequest, adminData{Error: "The form could not be read."})
		return
	}
	ctx := r.Context()
	action, u := r.PostForm.Get("action"), strings.TrimSpace(r.PostForm.Get("url"))
	var d adminData
	var err error
	switch action {
	case "add":
		req := feedadmin.Request{URL: u, Name: r.PostForm.Get("name"), Country: r.PostForm.Get("country"),
			Language: r.PostForm.Get("language"), Category: r.PostForm.Get("category")}
		d.Form = req
		var a feedadmin.Added
		// A nil Fetcher subscribes as given: there is no client to check with.
		a, err = feedadmin.Add(ctx, s.st, s.opt.Fetcher, req, checkBudget)
		if err == nil {
			d.Form = feedadmin.Request{}
			d.Message = "Subscribed to " + a.Feed.URL + "."
			if !a.Created {
				d.Message = "Already subscribed to " + a.Feed.URL + "."
			}
			if a.FoundOn != "" {
				d.Lines = append(d.Lines, "Found on "+a.FoundOn+", which advertises it.")
			}
			if a.Warning != "" {
				d.Lines = append(d.Lines, "Could not check it now ("+a.Warning+"); Sources shows how its polls go.")
			}
			u = a.Feed.URL
		}
	case "pause":
		if err = feedadmin.Pause(ctx, s.st, u, s.now()); err == nil {
			d.Message = "Paused " + u + "."
		}
	case "resume":
		if err = feedadmin.Resume(ctx, s.st, u); err == nil {
			d.Message = "Resumed " + u + "; it is polled at once."
		}
	case "remove":
		if err = feedadmin.Remove(ctx, s.st, u); err == nil {
			d.Message = "Unsubscribed from " + u + "; its articles stay."
		}
	case "update":
		ch := feedadmin.Change{}
		for field, dst := range map[string]**string{"name": &ch.Name, "country": &ch.Country, "language": &ch.Language, "category": &ch.Category} {
			if vs, ok := r.PostForm[field]; ok && len(vs) > 0 {
				v := vs[0]
				*dst = &v
			}
		}
		src, uerr := feedadmin.Update(ctx, s.st, u, ch)
		err = uerr
		if err == nil {
			d.Message = fmt.Sprintf("Saved outlet %s.", src.Name)
		}
	default:
		s.renderAdmin(w, r, rd, http.StatusBadRequest, adminData{Error: fmt.Sprintf("Unknown action %q.", action)})
		return
	}
	s.audit(r.Context(), rd, action, u, d.Message, err)
	if err != nil {
		status := http.StatusBadRequest
		d.Error = err.Error()
		if errors.Is(err, store.ErrNotFound) {
			d.Error, status = "There is no feed "+u+".", http.StatusNotFound
		}
		s.renderAdmin(w, r, rd, status, d)
		return
	}
	s.renderAdmin(w, r, rd, http.StatusOK, d)
}

// adminFeedsImport subscribes to the feeds of an uploaded OPML file.
func (s *server) adminFeedsImport(w http.ResponseWriter, r *http.Request) {
	rd := s.admin(w, r)
	if rd == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxOPMLUpload+64<<10)
	f, hdr, err := r.FormFile("opml")
	if err != nil {
		s.audit(r.Context(), rd, "import", "", "", err)
		s.renderAdmin(w, r, rd, http.StatusBadRequest, adminData{Error: "Choose an OPML file of at most 2 MB to upload."})
		return
	}
	defer f.Close()
	results, err := feedadmin.ImportOPML(r.Context(), s.st, s.opt.Fetcher, f, checkBudget)
	if err != nil {
		s.audit(r.Context(), rd, "import", hdr.Filename, "", err)
		s.renderAdmin(w, r, rd, http.StatusBadRequest, adminData{Error: hdr.Filename + ": " + err.Error()})
		return
	}
	d := adminData{}
	added, failed := 0, 0
	for _, res := range results {
		switch {
		case res.Err != nil:
			failed++
			d.Lines = append(d.Lines, res.Request.URL+": "+res.Err.Error())
		case res.Added.Created:
			added++
		}
	}
	d.Message = fmt.Sprintf("Imported %s: %d new of %d feeds", hdr.Filename, added, len(results))
	if failed > 0 {
		d.Message += fmt.Sprintf(", %d refused", failed)
	}
	d.Message += "."
	s.audit(r.Context(), rd, "import", hdr.Filename, d.Message, nil)
	s.renderAdmin(w, r, rd, http.StatusOK, d)
}

// exportOPML serves every subscription as OPML. The list is public, as
// /sources is.
func (s *server) exportOPML(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	if err := feedadmin.ExportOPML(r.Context(), s.st, &b); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="dateline-feeds.opml"`)
	w.Write([]byte(b.String()))
}

// audit records an administrator's action in the log and the audit table.
func (s *server) audit(ctx context.Context, rd *Reader, action, target, detail string, err error) {
	args := []any{"admin", rd.Name, "action", action, "target", target}
	if err != nil {
		detail = "refused: " + err.Error()
		s.log.Warn("audit: feed action refused", append(args, "err", err)...)
	} else {
		s.log.Info("audit: feed action", append(args, "detail", detail)...)
	}
	e := model.AuditEntry{At: s.now(), Actor: rd.Name, Action: action, Target: target, Detail: detail}
	if aerr := s.st.AddAudit(context.WithoutCancel(ctx), e); aerr != nil {
		s.log.Error("audit: could not record", "err", aerr)
	}
}
