package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/feedhealth"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// JSON shapes of /api/v1. Field names are the public contract.

type apiSource struct {
	Name     string `json:"name"`
	Country  string `json:"country"`
	Language string `json:"language"`
}

type apiArticle struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    apiSource  `json:"source"`
	Published *time.Time `json:"published"`
	Text      string     `json:"text"`
	Image     string     `json:"image"`
	StoryID   int64      `json:"story_id"`
}

type apiSourceName struct {
	Name string `json:"name"`
}

type apiStoryArticle struct {
	ID        int64         `json:"id"`
	URL       string        `json:"url"`
	Title     string        `json:"title"`
	Source    apiSourceName `json:"source"`
	Published *time.Time    `json:"published"` // null when the publisher gave no date
	Image     string        `json:"image"`     // https only; "" when none
}

type apiStory struct {
	ID          int64             `json:"id"`
	StorylineID int64             `json:"storyline_id"`
	Headline    string            `json:"headline"`
	FirstSeen   time.Time         `json:"first_seen"`
	Updated     time.Time         `json:"updated"`
	Outlets     int               `json:"outlets"`
	Countries   int               `json:"countries"`
	Articles    []apiStoryArticle `json:"articles"`
}

type apiStoryDetail struct {
	apiStory
	insightView
}

type apiFeed struct {
	URL        string     `json:"url"`
	Title      string     `json:"title"`
	LastPoll   *time.Time `json:"last_poll"`
	LastStatus int        `json:"last_status"`
	LastError  string     `json:"last_error"`
	Failures   int        `json:"failures"`
	Articles   int        `json:"articles"`
	Healthy    bool       `json:"healthy"`
	// Status is pending, ok, failing, paused or retired (feedhealth); Cause
	// groups a failure ("DNS", "HTTP 4xx", …); Since is when the failure,
	// pause or retirement began.
	Status   string     `json:"status"`
	Cause    string     `json:"cause"`
	Since    *time.Time `json:"since"`
	NextPoll *time.Time `json:"next_poll"`
}

// withHealth fills a feed's status fields.
func (a apiFeed) withHealth(f model.Feed) apiFeed {
	h := feedhealth.Of(f)
	a.Status, a.Cause, a.Since = string(h.State), h.Cause, timePtr(h.Since)
	if h.State != feedhealth.Paused && h.State != feedhealth.Retired {
		a.NextPoll = timePtr(f.NextPoll)
	}
	return a
}

type apiSourceFull struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	HomeURL  string    `json:"home_url"`
	Country  string    `json:"country"`
	Language string    `json:"language"`
	Feeds    []apiFeed `json:"feeds"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// webURL passes an absolute http(s) URL and gives "" for anything else:
// URLs come from feeds, and a client that puts javascript: or data: into a
// link or an image would run or show whatever the publisher chose. It is
// applied to every URL the API writes, whatever the store holds.
func webURL(raw string) string {
	if raw == "" || len(raw) > 4096 || strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return raw
}

func toAPIArticle(a model.Article) apiArticle {
	return apiArticle{
		ID: a.ID, URL: webURL(a.URL), Title: a.Title,
		Source:    apiSource{Name: sourceName(a), Country: a.Source.Country, Language: a.Source.Language},
		Published: timePtr(a.Published), Text: a.Text, Image: webURL(a.Image), StoryID: a.StoryID,
	}
}

func toAPIStory(st model.Story, arts []model.Article) apiStory {
	out := apiStory{
		ID: st.ID, StorylineID: st.StorylineID, Headline: st.Headline, FirstSeen: st.FirstSeen.UTC(), Updated: st.Updated.UTC(),
		Outlets: st.Outlets, Countries: st.Countries, Articles: make([]apiStoryArticle, 0, len(arts)),
	}
	for _, a := range arts {
		out.Articles = append(out.Articles, apiStoryArticle{ID: a.ID, URL: webURL(a.URL), Title: a.Title,
			Source: apiSourceName{Name: sourceName(a)}, Published: timePtr(a.Published), Image: apiImage(a.Image)})
	}
	return out
}

// limitParam reads ?limit=, def when absent, an error outside 1..maxLimit.
func limitParam(r *http.Request, def, maxLimit int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, fmt.Errorf("limit must be an integer from 1 to %d", maxLimit)
	}
	return n, nil
}

// badCursorMsg answers a cursor the store cannot use (garbled, or a key like
// NaN or Inf that no page ends at).
const badCursorMsg = "invalid cursor: pass next_cursor from an earlier response unchanged, or leave cursor out for the first page"

// apiError answers a failed store call: 400 for a bad cursor, 404 for a
// missing row, else 500 (logged, with no internals in the body).
func (s *server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrBadCursor):
		writeJSONError(w, http.StatusBadRequest, badCursorMsg)
	case errors.Is(err, store.ErrNotFound):
		writeJSONError(w, http.StatusNotFound, "not found")
	default:
		s.log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "internal error")
	}
}

func apiPathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r)
	if !ok {
		writeJSONError(w, http.StatusBadRequest, "id must be a positive integer")
	}
	return id, ok
}

func (s *server) apiArticles(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, 20, 200)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	arts, next, err := s.st.Articles(r.Context(), store.ArticleQuery{Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.apiError(w, r, fmt.Errorf("articles: %w", err))
		return
	}
	out := struct {
		Articles   []apiArticle `json:"articles"`
		NextCursor string       `json:"next_cursor"`
	}{Articles: make([]apiArticle, 0, len(arts)), NextCursor: next}
	for _, a := range arts {
		out.Articles = append(out.Articles, toAPIArticle(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, ok := apiPathID(w, r)
	if !ok {
		return
	}
	a, err := s.st.Article(r.Context(), id)
	if err != nil {
		s.apiError(w, r, fmt.Errorf("article %d: %w", id, err))
		return
	}
	writeJSON(w, http.StatusOK, toAPIArticle(a))
}

func (s *server) apiSources(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.st.Sources(r.Context())
	if err != nil {
		s.apiError(w, r, fmt.Errorf("sources: %w", err))
		return
	}
	feeds, err := s.st.Feeds(r.Context())
	if err != nil {
		s.apiError(w, r, fmt.Errorf("feeds: %w", err))
		return
	}
	bySource := make(map[int64][]apiFeed)
	for _, f := range feeds {
		bySource[f.SourceID] = append(bySource[f.SourceID], apiFeed{
			URL: webURL(f.URL), Title: f.Title, LastPoll: timePtr(f.LastPoll), LastStatus: f.LastStatus,
			LastError: f.LastError, Failures: f.Failures, Articles: f.Articles, Healthy: f.Healthy(),
		}.withHealth(f))
	}
	out := struct {
		Sources []apiSourceFull `json:"sources"`
	}{Sources: make([]apiSourceFull, 0, len(srcs))}
	for _, src := range srcs {
		fs := bySource[src.ID]
		if fs == nil {
			fs = []apiFeed{}
		}
		out.Sources = append(out.Sources, apiSourceFull{ID: src.ID, Name: src.Name, HomeURL: webURL(src.HomeURL),
			Country: src.Country, Language: src.Language, Feeds: fs})
	}
	writeJSON(w, http.StatusOK, out)
}

const apiStoryArticles = 20 // articles listed per story in /api/v1/stories

func (s *server) apiStories(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, 30, 100)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	stories, next, err := s.st.Stories(r.Context(), store.StoryQuery{Limit: limit, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.apiError(w, r, fmt.Errorf("stories: %w", err))
		return
	}
	out := struct {
		Stories    []apiStory `json:"stories"`
		NextCursor string     `json:"next_cursor"`
	}{Stories: make([]apiStory, 0, len(stories)), NextCursor: next}
	for _, st := range stories {
		h, err := s.heads.head(r.Context(), s.st, st)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		out.Stories = append(out.Stories, toAPIStory(st, h.articles[:min(len(h.articles), apiStoryArticles)]))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) apiStory(w http.ResponseWriter, r *http.Request) {
	id, ok := apiPathID(w, r)
	if !ok {
		return
	}
	st, err := s.st.Story(r.Context(), id)
	if err != nil {
		s.apiError(w, r, fmt.Errorf("story %d: %w", id, err))
		return
	}
	if st.MergedInto != 0 {
		http.Redirect(w, r, "/api/v1/stories/"+strconv.FormatInt(st.MergedInto, 10), http.StatusMovedPermanently)
		return
	}
	cov, err := s.coverage.head(r.Context(), s.st, st)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiStoryDetail{apiStory: toAPIStory(st, cov.articles), insightView: s.insight.story(r.Context(), st, nil)})
}
