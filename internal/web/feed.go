package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

const feedEntries = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	ID        string       `xml:"id"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published,omitempty"`
	Links     []atomLink   `xml:"link"`
	Authors   []atomPerson `xml:"author,omitempty"`
	Summary   *atomText    `xml:"summary,omitempty"`
}

func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// frontFeed is the Atom feed of the top stories.
func (s *server) frontFeed(w http.ResponseWriter, r *http.Request) {
	stories, _, err := s.st.Stories(r.Context(), store.StoryQuery{Limit: feedEntries})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("feed: %w", err))
		return
	}
	base := s.baseURL(r)
	f := atomFeed{
		Title: s.opt.SiteName + ": top stories", ID: base + "/",
		Links: []atomLink{{Href: base + "/feed.xml", Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/", Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: s.opt.SiteName},
	}
	var newest time.Time
	for _, st := range stories {
		if st.Updated.After(newest) {
			newest = st.Updated
		}
		link := base + "/story/" + strconv.FormatInt(st.ID, 10)
		f.Entries = append(f.Entries, atomEntry{
			Title: st.Headline, ID: link, Updated: atomTime(st.Updated), Published: atomTime(st.FirstSeen),
			Links: []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}},
			Summary: &atomText{Type: "text", Body: fmt.Sprintf("%s · %s · %s",
				count(st.Articles, "article"), count(st.Outlets, "outlet"), count(st.Countries, "country"))},
		})
	}
	f.Updated = atomTime(newest)
	writeAtom(w, r, f)
}

// storyFeed is the Atom feed of one story's coverage, newest first.
func (s *server) storyFeed(w http.ResponseWriter, r *http.Request) {
	st, ok := s.pathStory(w, r, "/feed.xml")
	if !ok {
		return
	}
	id := st.ID
	arts, _, err := s.st.Articles(r.Context(), store.ArticleQuery{StoryID: id, Limit: feedEntries})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("story feed %d: %w", id, err))
		return
	}
	base := s.baseURL(r)
	link := base + "/story/" + strconv.FormatInt(id, 10)
	f := atomFeed{
		Title: st.Headline, ID: link, Updated: atomTime(st.Updated),
		Links: []atomLink{{Href: link + "/feed.xml", Rel: "self", Type: "application/atom+xml"},
			{Href: link, Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: s.opt.SiteName},
	}
	for _, a := range arts {
		f.Entries = append(f.Entries, articleEntry(base, a))
	}
	writeAtom(w, r, f)
}

func articleEntry(base string, a model.Article) atomEntry {
	e := atomEntry{
		Title: sourceName(a) + ": " + a.Title, ID: base + "/article/" + strconv.FormatInt(a.ID, 10),
		Updated: atomTime(a.Published), Published: atomTime(a.Published),
		Links: []atomLink{{Href: a.URL, Rel: "alternate", Type: "text/html"},
			{Href: base + "/article/" + strconv.FormatInt(a.ID, 10), Rel: "related", Type: "text/html"}},
	}
	if a.Author != "" {
		e.Authors = []atomPerson{{Name: a.Author}}
	}
	if text := firstParagraph(a.Text, 400); text != "" {
		e.Summary = &atomText{Type: "text", Body: text}
	}
	return e
}

// firstParagraph is the first paragraph of text, cut at a word near max bytes.
func firstParagraph(text string, max int) string {
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			text = text[:i]
			break
		}
	}
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > max/2 && text[cut] != ' ' {
		cut--
	}
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}

func writeAtom(w http.ResponseWriter, r *http.Request, f atomFeed) {
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		http.Error(w, "encode feed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	w.Write(out)
}
