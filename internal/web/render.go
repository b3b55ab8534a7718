package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// page is what every template receives: the layout reads the common fields,
// the page body reads Data.
type page struct {
	Site      string
	Title     string // document title; "" shows the site name alone
	Canonical string // path of this page, for the canonical link and feeds
	Feed      string // path of an Atom feed for this page, if any
	Comments  template.HTML
	Reader    *Reader // the signed-in reader; render looks them up when nil
	Accounts  bool    // accounts are on: the header links to log-in
	Data      any
}

// parseTemplates builds one template set per page: the shared files (names
// starting with "_", such as the layout) plus that page. Other files in this
// package add a page by dropping templates/name.html and calling render.
func (s *server) parseTemplates() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(s.funcs()).ParseFS(templateFS, "templates/_*.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := make(map[string]*template.Template)
	for _, n := range names {
		name := path.Base(n)
		if strings.HasPrefix(name, "_") {
			continue
		}
		t := template.Must(base.Clone())
		pages[name] = template.Must(t.ParseFS(templateFS, n))
	}
	return pages
}

func (s *server) funcs() template.FuncMap {
	return template.FuncMap{
		"ago":        func(t time.Time) string { return relativeTime(s.now(), t, time.UTC) },
		"exact":      exactTime,
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"asset":      func(name string) string { return s.asset(name) },
		"count":      count,
		"feedJSON":   func(atom string) string { return strings.TrimSuffix(atom, ".xml") + ".json" },
		"host":       host,
		"join":       strings.Join,
		"add":        func(a, b int) int { return a + b },
		"quote":      url.QueryEscape,
		"pathq":      url.PathEscape,
		"nonzero":    func(t time.Time) bool { return !t.IsZero() },
		"outlet":     sourceName,
		"icon":       s.outletIcon,
		"tag":        func(h string) string { return strings.TrimPrefix(h, "#") },
		"paragraphs": paragraphs,
		"followTopic": func(rd *Reader, tag string) followButton {
			return followButton{Kind: "topic", Value: tag, Next: "/topic/" + url.PathEscape(tag), On: rd.FollowsTopic(tag)}
		},
		"followSource": func(rd *Reader, id int64) followButton {
			v := strconv.FormatInt(id, 10)
			return followButton{Kind: "source", Value: v, Next: "/source/" + v, On: rd.FollowsSource(id)}
		},
	}
}

// followButton is a form posting to the accounts hook's /follow route.
type followButton struct {
	Kind, Value, Next string
	On                bool // already followed: the button unfollows
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes page name into a buffer first, so a template error gives a
// clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("render: no template %q", name))
		return
	}
	if p.Site == "" {
		p.Site = s.opt.SiteName
	}
	if p.Canonical == "" {
		p.Canonical = r.URL.Path
	}
	if p.Reader == nil {
		p.Reader = s.reader(r)
	}
	p.Accounts = s.opt.Comments != nil
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if p.Reader != nil && h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private, no-cache") // the page names what this reader follows
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Not found", "There is nothing at this address.")
}

func (s *server) badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	s.errorPage(w, r, http.StatusBadRequest, "Bad request", msg)
}

func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("handler", "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong",
		"The page could not be built. Try again in a moment.")
}

type errorData struct {
	Status  int
	Heading string
	Message string
}

func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	t := s.pages["error.html"]
	buf := new(bytes.Buffer)
	p := page{Site: s.opt.SiteName, Title: heading, Canonical: r.URL.Path,
		Data: errorData{Status: status, Heading: heading, Message: msg}}
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, heading, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// writeJSON sends v with status; encoding errors after the header are only
// possible on a broken connection, so they are ignored.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONAs(w, status, "application/json; charset=utf-8", v)
}

func writeJSONAs(w http.ResponseWriter, status int, contentType string, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":"encode response"}`, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// relativeTime says when t was the way a reader says it, counting days by
// the calendar in loc (the server shows UTC; app.js redoes it in the reader's
// own time zone): an item from the day before yesterday is "2 days ago" even
// when it is 30 hours old. A time in the future (a publisher's wrong clock)
// is shown as the time itself, never as "just now".
func relativeTime(now, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "never"
	}
	now, t = now.In(loc), t.In(loc)
	d := now.Sub(t)
	days := calendarDays(t, now)
	switch {
	case d < -time.Minute:
		if days == 0 {
			return t.Format("15:04")
		}
		return shortDate(now, t) + " " + t.Format("15:04")
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return count(int(d/time.Minute), "minute") + " ago"
	case days == 0 || d < 3*time.Hour:
		return count(int(d/time.Hour), "hour") + " ago"
	case days == 1:
		return "yesterday"
	case days < 30:
		return count(days, "day") + " ago"
	default:
		return shortDate(now, t)
	}
}

// calendarDays is how many midnights lie between t and now (both in the
// same location); negative when t is later.
func calendarDays(t, now time.Time) int {
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	a := time.Date(ty, tm, td, 12, 0, 0, 0, time.UTC)
	b := time.Date(ny, nm, nd, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

func shortDate(now, t time.Time) string {
	if now.Year() == t.Year() {
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

func exactTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("Mon 2 Jan 2006 15:04 MST")
}

// count is "1 outlet", "5 outlets", "2 countries"; the nouns used here all
// pluralise regularly.
func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(word) > 1 && word[len(word)-1] == 'y' && !strings.ContainsRune("aeiou", rune(word[len(word)-2])) {
		return strconv.Itoa(n) + " " + word[:len(word)-1] + "ies"
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// paragraphs splits plain text on its newlines, dropping blank lines.
func paragraphs(text string) []string {
	var out []string
	for p := range strings.SplitSeq(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// host is the bare host name of a URL, for "read at example.com".
func host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// assetVersions fingerprints every static file so links change when the
// content does and browsers may cache them for long.
func assetVersions() map[string]string {
	m := make(map[string]string)
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		m[name] = "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	return m
}

func (s *server) asset(name string) string {
	if v, ok := s.assets[name]; ok {
		return v
	}
	return "/static/" + name
}

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A name the file system cannot hold (bad UTF-8 such as %c0%ae, "..",
		// NUL) is simply not there: FileServerFS would answer 500 and log it
		// as a server error.
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/static/"), "/")
		if name != "" && (!utf8.ValidString(name) || !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00")) {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
}
