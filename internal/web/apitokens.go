package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/dateline-news/dateline/internal/feedadmin"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// APIReaders is an optional interface of a Comments hook that lets programs
// act as a reader through /api/v1/me and /api/v1/feeds with a personal API
// token sent as "Authorization: Bearer <secret>". Tokens never sign anyone
// in to pages: those only read the session cookie.
type APIReaders interface {
	// APIReader returns the reader behind token; false when the token is
	// unknown or revoked or its owner suspended. An error with a
	// Seconds() int method is a rate limit (answered 429).
	APIReader(r *http.Request, token string) (Reader, bool, error)
	// APIFollow follows (on) or unfollows kind (topic|source) value for the
	// reader behind token; an *InputError is the client's fault.
	APIFollow(r *http.Request, token, kind, value string, on bool) error
}

// InputError is a refusal whose message is fit for the API client (422).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func (s *server) apiReaders() APIReaders {
	ar, _ := s.opt.Comments.(APIReaders)
	return ar
}

// bearer is the token of an "Authorization: Bearer" header, or "".
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// bearerOnly reports whether r authenticates with a token and carries no
// cookie: no browser-held credential is involved, so the cross-origin check
// (which guards cookies) does not apply to it.
func bearerOnly(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/v1/") && bearer(r) != "" && len(r.Header.Values("Cookie")) == 0
}

// crossOrigin refuses cross-site state-changing requests, which could ride
// on a browser's session cookie, except API calls that authenticate with a
// bearer token alone: a page cannot make a browser attach one (a cross-site
// Authorization header needs CORS, which the site never grants).
func crossOrigin(next http.Handler) http.Handler {
	protected := http.NewCrossOriginProtection().Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bearerOnly(r) {
			next.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	})
}

func (s *server) apiTokenRoutes(mux *http.ServeMux) {
	if s.apiReaders() == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/me", s.withToken(s.apiMe))
	mux.HandleFunc("GET /api/v1/me/follows", s.withToken(s.apiMyFollows))
	mux.HandleFunc("GET /api/v1/me/for-you", s.withToken(s.apiForYou))
	mux.HandleFunc("PUT /api/v1/me/follows/{kind}/{key}", s.withToken(s.apiFollow(true)))
	mux.HandleFunc("DELETE /api/v1/me/follows/{kind}/{key}", s.withToken(s.apiFollow(false)))
	mux.HandleFunc("POST /api/v1/feeds", s.withToken(s.apiAddFeed))
	mux.HandleFunc("DELETE /api/v1/feeds", s.withToken(s.apiRemoveFeed))
}

type tokenHandler func(w http.ResponseWriter, r *http.Request, rd *Reader, token string)

// withToken answers 401 unless r carries a live API token.
func (s *server) withToken(next tokenHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-store")
		tok := bearer(r)
		if tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dateline"`)
			writeJSONError(w, http.StatusUnauthorized, "send a personal API token (create one on /account) as Authorization: Bearer <token>")
			return
		}
		rd, ok, err := s.apiReaders().APIReader(r, tok)
		var limited interface{ Seconds() int }
		switch {
		case errors.As(err, &limited):
			w.Header().Set("Retry-After", strconv.Itoa(limited.Seconds()))
			writeJSONError(w, http.StatusTooManyRequests, "too many invalid tokens from this address")
			return
		case err != nil:
			s.log.Error("api token", "err", err)
			writeJSONError(w, http.StatusInternalServerError, "internal error")
			return
		case !ok:
			w.Header().Set("WWW-Authenticate", `Bearer realm="dateline", error="invalid_token"`)
			writeJSONError(w, http.StatusUnauthorized, "invalid, revoked or suspended API token")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		next(w, r, &rd, tok)
	}
}

type apiMe struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

func (s *server) apiMe(w http.ResponseWriter, r *http.Request, rd *Reader, _ string) {
	role := rd.Role
	if role == "" {
		role = "reader"
		if rd.Admin {
			role = "admin"
		}
	}
	writeJSON(w, http.StatusOK, apiMe{Name: rd.Name, Role: role})
}

type apiFollows struct {
	Topics  []string `json:"topics"`
	Sources []int64  `json:"sources"`
}

func (s *server) apiMyFollows(w http.ResponseWriter, r *http.Request, rd *Reader, _ string) {
	out := apiFollows{Topics: rd.Topics, Sources: rd.Sources}
	if out.Topics == nil {
		out.Topics = []string{}
	}
	if out.Sources == nil {
		out.Sources = []int64{}
	}
	writeJSON(w, http.StatusOK, out)
}

type apiForYouItem struct {
	apiStory
	Because []string `json:"because"` // the followed topics ("#flood") and outlets that picked it
}

// apiForYou lists the stories of the reader's /for-you page.
func (s *server) apiForYou(w http.ResponseWriter, r *http.Request, rd *Reader, _ string) {
	out := []apiForYouItem{}
	if len(rd.Topics) > 0 || len(rd.Sources) > 0 {
		items, _, err := s.forYou(r.Context(), rd, frontPageSize)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		for _, it := range items {
			var arts []model.Article
			if it.Card.Lead.ID != 0 {
				arts = append(arts, it.Card.Lead)
			}
			out = append(out, apiForYouItem{apiStory: toAPIStory(it.Card.Story, arts), Because: it.Because})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) apiFollow(on bool) tokenHandler {
	return func(w http.ResponseWriter, r *http.Request, rd *Reader, tok string) {
		kind := r.PathValue("kind")
		if kind != "topic" && kind != "source" {
			writeJSONError(w, http.StatusNotFound, "kind must be topic or source")
			return
		}
		err := s.apiReaders().APIFollow(r, tok, kind, r.PathValue("key"), on)
		var inv *InputError
		switch {
		case errors.As(err, &inv):
			writeJSONError(w, http.StatusUnprocessableEntity, inv.Msg)
		case err != nil:
			s.log.Error("api follow", "err", err)
			writeJSONError(w, http.StatusInternalServerError, "internal error")
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

type apiFeedRequest struct {
	URL      string `json:"url"`
	Name     string `json:"name"`
	Country  string `json:"country"`
	Language string `json:"language"`
	Category string `json:"category"`
}

type apiAddedFeed struct {
	URL      string `json:"url"`
	Created  bool   `json:"created"`  // false: already subscribed
	FoundOn  string `json:"found_on"` // the page that advertised the feed, when discovered
	Warning  string `json:"warning"`  // why it could not be checked now, if so
	SourceID int64  `json:"source_id"`
}

// apiAddFeed subscribes to a feed through feedadmin, as /admin/feeds and
// `dateline feeds add` do; administrators only, audited.
func (s *server) apiAddFeed(w http.ResponseWriter, r *http.Request, rd *Reader, _ string) {
	if !rd.IsAdmin() {
		writeJSONError(w, http.StatusForbidden, "only administrators manage feeds")
		return
	}
	var req apiFeedRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "body must be JSON {\"url\",\"name\",\"country\",\"language\",\"category\"}: "+err.Error())
		return
	}
	req.URL = strings.TrimSpace(req.URL)
	a, err := feedadmin.Add(r.Context(), s.st, s.opt.Fetcher, feedadmin.Request{URL: req.URL, Name: req.Name,
		Country: req.Country, Language: req.Language, Category: req.Category}, checkBudget)
	target, detail := req.URL, ""
	if err == nil {
		target, detail = a.Feed.URL, "via API"
	}
	s.audit(r.Context(), rd, "add", target, detail, err)
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	status := http.StatusCreated
	if !a.Created {
		status = http.StatusOK
	}
	writeJSON(w, status, apiAddedFeed{URL: a.Feed.URL, Created: a.Created, FoundOn: a.FoundOn, Warning: a.Warning, SourceID: a.Feed.SourceID})
}

// apiRemoveFeed unsubscribes from ?url= (articles are kept); administrators only, audited.
func (s *server) apiRemoveFeed(w http.ResponseWriter, r *http.Request, rd *Reader, _ string) {
	if !rd.IsAdmin() {
		writeJSONError(w, http.StatusForbidden, "only administrators manage feeds")
		return
	}
	u := strings.TrimSpace(r.URL.Query().Get("url"))
	if u == "" {
		writeJSONError(w, http.StatusBadRequest, "give the feed as ?url=")
		return
	}
	err := feedadmin.Remove(r.Context(), s.st, u)
	s.audit(r.Context(), rd, "remove", u, "via API", err)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeJSONError(w, http.StatusNotFound, "there is no feed "+u)
	case err != nil:
		writeJSONError(w, http.StatusUnprocessableEntity, err.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
