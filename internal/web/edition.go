package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/model"
)

// Editions: ?country=GB and ?lang=en keep the stories that outlets of that
// country (writing in that language) covered and raise those they covered
// most. The choice is remembered in a cookie; an empty choice clears it.
const (
	editionCookie = "edition"
	editionPool   = 120 // top stories an edition is chosen from
	editionsTTL   = 5 * time.Minute
	snippetRunes  = 200
)

type edition struct {
	Country string // ISO 3166-1 alpha-2, upper case
	Lang    string // ISO 639-1, lower case
}

func (e edition) set() bool { return e.Country != "" || e.Lang != "" }

// Label names the edition for the page title and chooser.
func (e edition) Label() string {
	switch {
	case e.Country != "" && e.Lang != "":
		return e.Country + " edition in " + e.Lang
	case e.Country != "":
		return e.Country + " edition"
	case e.Lang != "":
		return "Edition in " + e.Lang
	}
	return "All editions"
}

func (e edition) query() string {
	v := url.Values{}
	if e.Country != "" {
		v.Set("country", e.Country)
	}
	if e.Lang != "" {
		v.Set("lang", e.Lang)
	}
	return v.Encode()
}

// local reports whether a is from the edition's outlets.
func (e edition) local(a model.Article) bool {
	if e.Country != "" && !strings.EqualFold(a.Source.Country, e.Country) {
		return false
	}
	if e.Lang != "" {
		l := a.Language
		if l == "" {
			l = a.Source.Language
		}
		if !strings.EqualFold(primaryLang(l), e.Lang) {
			return false
		}
	}
	return true
}

// filter keeps the stories the edition's outlets covered, counting their
// articles in Local.
func (e edition) filter(cards []storyCard) []storyCard {
	var out []storyCard
	for _, c := range cards {
		c.Local = 0
		for _, a := range c.heads {
			if e.local(a) {
				c.Local++
			}
		}
		if c.Local > 0 {
			out = append(out, c)
		}
	}
	return out
}

func primaryLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}

func validCountry(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return ""
}

func validLang(s string) string {
	s = primaryLang(s)
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}

// edition reads the reader's edition from the query (remembering it in a
// cookie), else from the cookie.
func (s *server) edition(w http.ResponseWriter, r *http.Request) edition {
	q := r.URL.Query()
	if q.Has("country") || q.Has("lang") {
		e := edition{Country: validCountry(q.Get("country")), Lang: validLang(q.Get("lang"))}
		c := &http.Cookie{Name: editionCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
		if e.set() {
			c.Value, c.MaxAge = e.query(), 365*24*3600
		} else {
			c.MaxAge = -1
		}
		http.SetCookie(w, c)
		return e
	}
	if c, err := r.Cookie(editionCookie); err == nil {
		if v, err := url.ParseQuery(c.Value); err == nil {
			return edition{Country: validCountry(v.Get("country")), Lang: validLang(v.Get("lang"))}
		}
	}
	return edition{}
}

// editionChoices are the countries and languages the subscribed outlets
// come from, most outlets first, for the chooser.
type editionChoices struct {
	Countries []choice
	Langs     []choice
}

type choice struct {
	Code    string
	Outlets int
}

type editionsCache struct {
	mu  sync.Mutex
	at  time.Time
	val editionChoices
}

func (s *server) editionChoices(ctx context.Context) editionChoices {
	c := &s.editions
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < editionsTTL {
		return c.val
	}
	srcs, err := s.st.Sources(ctx)
	if err != nil {
		s.log.Warn("edition choices", "err", err)
		return c.val
	}
	countries, langs := map[string]int{}, map[string]int{}
	for _, src := range srcs {
		if cc := validCountry(src.Country); cc != "" {
			countries[cc]++
		}
		if l := validLang(src.Language); l != "" {
			langs[l]++
		}
	}
	c.val = editionChoices{Countries: choices(countries), Langs: choices(langs)}
	c.at = time.Now()
	return c.val
}

func choices(m map[string]int) []choice {
	out := make([]choice, 0, len(m))
	for k, n := range m {
		out = append(out, choice{k, n})
	}
	slices.SortFunc(out, func(a, b choice) int {
		if c := cmp.Compare(b.Outlets, a.Outlets); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// oneLine is the first paragraph of text that is not the title, cut at a
// word near snippetRunes.
func oneLine(text, title string) string {
	for p := range strings.SplitSeq(text, "\n") {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" || strings.EqualFold(p, strings.TrimSpace(title)) || utf8.RuneCountInString(p) < 40 {
			continue
		}
		if utf8.RuneCountInString(p) <= snippetRunes {
			return p
		}
		cut := []rune(p)[:snippetRunes]
		s := string(cut)
		if i := strings.LastIndexByte(s, ' '); i > snippetRunes/2 {
			s = s[:i]
		}
		return strings.TrimRight(s, " ,;:-–—") + "…"
	}
	return ""
}
