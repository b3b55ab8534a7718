// Package accountweb serves Dateline's account pages, comment sections,
// moderation queue and comments API over an account.Service.
//
// Pages are plain HTML forms (no script, no inline style) with
// Post/Redirect/Get; every route is wrapped in net/http's
// CrossOriginProtection, and the session cookie is HttpOnly, SameSite=Lax and
// Secure over TLS.
package accountweb

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/account"
)

//go:embed templates/*.html
var templateFS embed.FS

// Options configure a Handler; the zero value is usable.
type Options struct {
	// TrustProxy honours X-Forwarded-Proto (for the cookie's Secure flag) and
	// the last X-Forwarded-For entry (for rate limits). Set it only behind a
	// reverse proxy that sets both.
	TrustProxy bool
	// CookieName of the session cookie; default "dateline_session".
	CookieName string
	// TargetURL is the page of a story or article; default /story/{id} and
	// /article/{id}, as internal/web serves them.
	TargetURL func(kind string, id int64) string
	// TargetExists, when set, refuses comments on stories or articles that
	// do not exist (and answers 404 on their comments API).
	TargetExists func(ctx context.Context, kind string, id int64) (bool, error)
	// CrossOrigin guards every state-changing route; default a fresh
	// http.NewCrossOriginProtection(). Pass the site's own to share trusted origins.
	CrossOrigin *http.CrossOriginProtection
	Logger      *slog.Logger
	// SiteName is shown in the shared page header and titles; default "Dateline".
	SiteName string
}

// Handler serves the account and comment routes.
type Handler struct {
	svc   *account.Service
	opts  Options
	pages map[string]*template.Template
	log   *slog.Logger
}

// New returns a Handler over svc.
func New(svc *account.Service, opts Options) *Handler {
	if opts.CookieName == "" {
		opts.CookieName = "dateline_session"
	}
	if opts.TargetURL == nil {
		opts.TargetURL = func(kind string, id int64) string {
			if kind == account.KindArticle {
				return fmt.Sprintf("/article/%d", id)
			}
			return fmt.Sprintf("/story/%d", id)
		}
	}
	if opts.CrossOrigin == nil {
		opts.CrossOrigin = http.NewCrossOriginProtection()
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Handler{svc: svc, opts: opts, log: opts.Logger, pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"linkify":  Linkify,
		"target":   opts.TargetURL,
		"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"when":     func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
		"dict":     dict,
	}
	base := template.Must(template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/section.html"))
	for _, p := range []string{"signup", "login", "account", "compose", "edit", "moderation", "message"} {
		h.pages[p] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+p+".html"))
	}
	h.pages["section"] = base
	return h
}

// Routes mounts every route on mux; it makes Handler a web.Comments hook.
func (h *Handler) Routes(mux *http.ServeMux) { h.Register(mux) }

// Register mounts every route on mux, each behind CrossOriginProtection
// (harmless when the site wraps everything in its own as well).
func (h *Handler) Register(mux *http.ServeMux) {
	routes := map[string]http.HandlerFunc{
		"GET /signup":                        h.signupForm,
		"POST /signup":                       h.signup,
		"GET /login":                         h.loginForm,
		"POST /login":                        h.login,
		"POST /logout":                       h.logout,
		"GET /account":                       h.accountPage,
		"POST /account/password":             h.changePassword,
		"POST /account/tokens":               h.createToken,
		"POST /account/tokens/{id}/revoke":   h.revokeToken,
		"POST /follow":                       h.follow,
		"POST /comments":                     h.postComment,
		"GET /comments/{id}/edit":            h.editForm,
		"POST /comments/{id}/edit":           h.editComment,
		"POST /comments/{id}/delete":         h.deleteComment,
		"POST /comments/{id}/report":         h.reportComment,
		"GET /moderation":                    h.moderation,
		"POST /moderation/{action}":          h.moderate,
		"GET /api/v1/stories/{id}/comments":  h.apiComments(account.KindStory),
		"GET /api/v1/articles/{id}/comments": h.apiComments(account.KindArticle),
	}
	for pattern, fn := range routes {
		mux.Handle(pattern, h.opts.CrossOrigin.Handler(limitBody(fn)))
	}
}

// limitBody caps form bodies: the largest honest one is a 5000-character comment.
func limitBody(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		next(w, r)
	})
}

// User returns the signed-in account of r, if any.
func (h *Handler) User(r *http.Request) (account.User, bool) {
	c, err := r.Cookie(h.opts.CookieName)
	if err != nil {
		return account.User{}, false
	}
	u, err := h.svc.SessionUser(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, account.ErrNoSession) && !errors.Is(err, account.ErrSuspended) {
			h.log.Error("read session", "err", err)
		}
		return account.User{}, false
	}
	return u, true
}

func (h *Handler) sessionToken(r *http.Request) string {
	if c, err := r.Cookie(h.opts.CookieName); err == nil {
		return c.Value
	}
	return ""
}

// secure reports whether the client reached us over TLS.
func (h *Handler) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if h.opts.TrustProxy {
		proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		return strings.EqualFold(strings.TrimSpace(proto), "https")
	}
	return false
}

// clientAddr is the address rate limits count against.
func (h *Handler) clientAddr(r *http.Request) string {
	if h.opts.TrustProxy {
		if v := r.Header.Values("X-Forwarded-For"); len(v) > 0 {
			parts := strings.Split(v[len(v)-1], ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(a) != nil {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: h.opts.CookieName, Value: token, Path: "/",
		MaxAge:   int(h.svc.SessionTTL() / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r),
	})
}

func (h *Handler) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: h.opts.CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r),
	})
}

// localPath returns next if it is a path on this site, else "/": redirects
// never leave the site.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// view is what every page template receives.
type view struct {
	Site     string // the site's name, for the shared header
	Title    string
	User     account.User
	LoggedIn bool
	Error    string
	Notice   string
	Next     string
	Form     map[string]string // values to put back into a refused form
	Data     any
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	v.Site = cmp.Or(h.opts.SiteName, "Dateline")
	if v.User.ID == 0 {
		v.User, v.LoggedIn = h.User(r)
	} else {
		v.LoggedIn = true
	}
	var b strings.Builder
	if err := h.pages[page].ExecuteTemplate(&b, "layout", v); err != nil {
		h.log.Error("render page", "page", page, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages here show per-account content: no shared caches.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

// fail answers an error from the service as a page with the right status.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(err)
	if status == http.StatusInternalServerError {
		h.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	var le *account.LimitError
	if errors.As(err, &le) {
		w.Header().Set("Retry-After", strconv.Itoa(le.Seconds()))
	}
	h.render(w, r, status, "message", view{Title: http.StatusText(status), Error: msg})
}

// statusOf maps service errors to an HTTP status and a message for people.
func statusOf(err error) (int, string) {
	var inv *account.InvalidError
	var le *account.LimitError
	switch {
	case errors.As(err, &inv):
		return http.StatusUnprocessableEntity, inv.Msg
	case errors.As(err, &le):
		return http.StatusTooManyRequests, le.Error()
	case errors.Is(err, account.ErrNotFound):
		return http.StatusNotFound, "That does not exist (any more)."
	case errors.Is(err, account.ErrForbidden):
		return http.StatusForbidden, "You are not allowed to do that."
	case errors.Is(err, account.ErrSuspended):
		return http.StatusForbidden, "Your account is suspended."
	case errors.Is(err, account.ErrEditExpired):
		return http.StatusForbidden, "Comments can only be edited for 15 minutes after posting."
	case errors.Is(err, account.ErrNoSession):
		return http.StatusUnauthorized, "Please log in first."
	case errors.Is(err, account.ErrNameTaken):
		return http.StatusConflict, "That username is taken."
	case errors.Is(err, account.ErrNameLookalike):
		return http.StatusConflict, "That username looks too much like an existing one; please choose another."
	case errors.Is(err, account.ErrBadLogin):
		return http.StatusUnauthorized, "Wrong username or password."
	case errors.Is(err, account.ErrBadTarget):
		return http.StatusNotFound, "There is no such story or article."
	}
	return http.StatusInternalServerError, "Something went wrong on our side. Please try again."
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "message", view{Title: "Not found", Error: "That does not exist (any more)."})
}

// requireUser returns the signed-in account or redirects to the log-in page.
func (h *Handler) requireUser(w http.ResponseWriter, r *http.Request, next string) (account.User, bool) {
	u, ok := h.User(r)
	if !ok {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(localPath(next)), http.StatusSeeOther)
	}
	return u, ok
}

// dict builds a map from alternating keys and values, to pass several values
// to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: key is not a string")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// TokenUser returns the account behind an API token secret (from an
// Authorization: Bearer header; never a cookie). Failed look-ups count
// against r's client address; a rate limit is an *account.LimitError.
func (h *Handler) TokenUser(r *http.Request, secret string) (account.User, bool, error) {
	u, err := h.svc.UserByTokenFrom(r.Context(), secret, h.clientAddr(r))
	switch {
	case errors.Is(err, account.ErrNoToken), errors.Is(err, account.ErrSuspended):
		return account.User{}, false, nil
	case err != nil:
		return account.User{}, false, err
	}
	return u, true, nil
}
