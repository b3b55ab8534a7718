package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/model"
)

const (
	searchStories  = 20
	searchArticles = 30
	maxQueryLen    = 200
)

type searchData struct {
	Query    string
	Cards    []storyCard
	Articles []model.Article
}

// searchQuery reads q; ok=false (with a reason) when it is unusable.
func searchQuery(r *http.Request) (q string, msg string, ok bool) {
	q = strings.TrimSpace(r.URL.Query().Get("q"))
	switch {
	case !utf8.ValidString(q):
		return "", "q is not valid UTF-8", false
	case utf8.RuneCountInString(q) > maxQueryLen:
		return "", fmt.Sprintf("q is longer than %d characters", maxQueryLen), false
	}
	return q, "", true
}

func (s *server) searchPage(w http.ResponseWriter, r *http.Request) {
	q, msg, ok := searchQuery(r)
	if !ok {
		s.badRequest(w, r, msg)
		return
	}
	d := searchData{Query: q}
	title := "Search"
	if q != "" {
		title = "Search: " + q
		stories, err := s.st.SearchStories(r.Context(), q, searchStories)
		if err != nil {
			s.serverError(w, r, fmt.Errorf("search stories %q: %w", q, err))
			return
		}
		if d.Cards, err = s.cards(r.Context(), stories); err != nil {
			s.serverError(w, r, err)
			return
		}
		if d.Articles, err = s.st.Search(r.Context(), q, searchArticles); err != nil {
			s.serverError(w, r, fmt.Errorf("search articles %q: %w", q, err))
			return
		}
	}
	s.render(w, r, http.StatusOK, "search.html", page{Title: title, Data: d})
}

func (s *server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, msg, ok := searchQuery(r)
	if !ok {
		writeJSONError(w, http.StatusBadRequest, msg)
		return
	}
	if q == "" {
		writeJSONError(w, http.StatusBadRequest, "missing q")
		return
	}
	limit, err := limitParam(r, searchArticles, 100)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	stories, err := s.st.SearchStories(r.Context(), q, limit)
	if err != nil {
		s.apiError(w, r, fmt.Errorf("search stories %q: %w", q, err))
		return
	}
	arts, err := s.st.Search(r.Context(), q, limit)
	if err != nil {
		s.apiError(w, r, fmt.Errorf("search articles %q: %w", q, err))
		return
	}
	out := struct {
		Query    string       `json:"query"`
		Stories  []apiStory   `json:"stories"`
		Articles []apiArticle `json:"articles"`
	}{Query: q, Stories: make([]apiStory, 0, len(stories)), Articles: make([]apiArticle, 0, len(arts))}
	for _, st := range stories {
		out.Stories = append(out.Stories, toAPIStory(st, nil))
	}
	for _, a := range arts {
		out.Articles = append(out.Articles, toAPIArticle(a))
	}
	writeJSON(w, http.StatusOK, out)
}
