package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
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

// feedDoc is a feed before it is written as Atom or JSON Feed: one entry per
// story (front page, topic, entity) or per article (a story, an outlet).
type feedDoc struct {
	Title, Home, Self string // Self without its extension
	Entries           []feedEntry
}

type feedEntry struct {
	ID, Title, URL, Summary string
	Published, Updated      time.Time
	Authors                 []string
	Related                 string // Dateline's own page when URL is the publisher's
}

// writeFeed writes d as Atom (feed.xml) or JSON Feed 1.1 (feed.json).
func (s *server) writeFeed(w http.ResponseWriter, r *http.Request, d feedDoc) {
	var newest time.Time
	for _, e := range d.Entries {
		if e.Updated.After(newest) {
			newest = e.Updated
		}
	}
	if strings.HasSuffix(r.URL.Path, ".json") {
		writeJSONFeed(w, d)
		return
	}
	f := atomFeed{
		Title: d.Title, ID: d.Home, Updated: atomTime(newest),
		Links: []atomLink{{Href: d.Self + ".xml", Rel: "self", Type: "application/atom+xml"},
			{Href: d.Home, Rel: "alternate", Type: "text/html"},
			{Href: d.Self + ".json", Rel: "alternate", Type: "application/feed+json"}},
		Author: atomPerson{Name: s.opt.SiteName},
	}
	for _, e := range d.Entries {
		ae := atomEntry{Title: e.Title, ID: e.ID, Updated: atomTime(e.Updated), Published: atomTime(e.Published),
			Links: []atomLink{{Href: e.URL, Rel: "alternate", Type: "text/html"}}}
		if e.Related != "" {
			ae.Links = append(ae.Links, atomLink{Href: e.Related, Rel: "related", Type: "text/html"})
		}
		for _, a := range e.Authors {
			ae.Authors = append(ae.Authors, atomPerson{Name: a})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Body: e.Summary}
		}
		f.Entries = append(f.Entries, ae)
	}
	writeAtom(w, r, f)
}

// JSON Feed 1.1 (jsonfeed.org): the same entries for programs that prefer JSON.
type jsonFeed struct {
	Version string         `json:"version"`
	Title   string         `json:"title"`
	Home    string         `json:"home_page_url"`
	FeedURL string         `json:"feed_url"`
	Items   []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID          string           `json:"id"`
	URL         string           `json:"url,omitempty"`
	ExternalURL string           `json:"external_url,omitempty"`
	Title       string           `json:"title"`
	Summary     string           `json:"summary,omitempty"`
	ContentText string           `json:"content_text"`
	Published   string           `json:"date_published,omitempty"`
	Modified    string           `json:"date_modified,omitempty"`
	Authors     []jsonFeedAuthor `json:"authors,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

func writeJSONFeed(w http.ResponseWriter, d feedDoc) {
	f := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: d.Title, Home: d.Home, FeedURL: d.Self + ".json",
		Items: []jsonFeedItem{}}
	for _, e := range d.Entries {
		it := jsonFeedItem{ID: e.ID, URL: e.URL, Title: e.Title, Summary: e.Summary, ContentText: e.Summary,
			Published: atomTime(e.Published), Modified: atomTime(e.Updated)}
		if e.Related != "" {
			// the item's own page is Dateline's; the publisher's is external
			it.URL, it.ExternalURL = e.Related, e.URL
		}
		for _, a := range e.Authors {
			it.Authors = append(it.Authors, jsonFeedAuthor{Name: a})
		}
		f.Items = append(f.Items, it)
	}
	w.Header().Set("Content-Type", "application/feed+json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	json.NewEncoder(w).Encode(f)
}

// storyEntries turns stories into feed entries whose summary says what
// happened (the snippet of the story's lead report) and who covered it.
func (s *server) storyEntries(ctx context.Context, base string, stories []model.Story) ([]feedEntry, error) {
	cards, err := s.cards(ctx, stories)
	if err != nil {
		return nil, err
	}
	out := make([]feedEntry, 0, len(cards))
	for _, c := range cards {
		st := c.Story
		link := base + "/story/" + strconv.FormatInt(st.ID, 10)
		summary := c.Snippet
		if len(c.Outlets) > 0 {
			who := strings.Join(c.Outlets, ", ")
			if c.More > 0 {
				who += fmt.Sprintf(" and %d more", c.More)
			}
			if summary != "" {
				summary += " "
			}
			summary += "Reported by " + who + "."
		}
		out = append(out, feedEntry{ID: link, Title: st.Headline, URL: link, Summary: summary,
			Published: st.FirstSeen, Updated: st.Updated})
	}
	return out, nil
}

func articleEntries(base string, arts []model.Article) []feedEntry {
	out := make([]feedEntry, 0, len(arts))
	for _, a := range arts {
		own := base + "/article/" + strconv.FormatInt(a.ID, 10)
		e := feedEntry{ID: own, Title: sourceName(a) + ": " + a.Title, URL: webURL(a.URL), Related: own,
			Summary: firstParagraph(a.Text, 400), Published: a.Published, Updated: a.Published}
		if e.URL == "" {
			e.URL, e.Related = own, ""
		}
		if a.Author != "" {
			e.Authors = []string{a.Author}
		}
		out = append(out, e)
	}
	return out
}

// frontFeed is the feed of the top stories, as the front page ranks them.
func (s *server) frontFeed(w http.ResponseWriter, r *http.Request) {
	stories, _, err := s.st.Stories(r.Context(), store.StoryQuery{Limit: feedEntries, PerStoryline: true})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("feed: %w", err))
		return
	}
	s.storiesFeed(w, r, s.opt.SiteName+": top stories", "/", stories)
}

// storiesFeed writes stories as the feed of the page at path (the feed is
// at path's "/feed.xml" or "/feed.json").
func (s *server) storiesFeed(w http.ResponseWriter, r *http.Request, title, path string, stories []model.Story) {
	base := s.baseURL(r)
	entries, err := s.storyEntries(r.Context(), base, stories)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("feed of %s: %w", path, err))
		return
	}
	s.writeFeed(w, r, feedDoc{Title: title, Home: base + path, Self: base + strings.TrimSuffix(path, "/") + "/feed",
		Entries: entries})
}

// storyFeed is the feed of one story's coverage, newest first.
func (s *server) storyFeed(w http.ResponseWriter, r *http.Request) {
	ext := path.Ext(r.URL.Path)
	st, ok := s.pathStory(w, r, "/feed"+ext)
	if !ok {
		return
	}
	arts, _, err := s.st.Articles(r.Context(), store.ArticleQuery{StoryID: st.ID, Limit: feedEntries})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("story feed %d: %w", st.ID, err))
		return
	}
	base := s.baseURL(r)
	link := base + "/story/" + strconv.FormatInt(st.ID, 10)
	s.writeFeed(w, r, feedDoc{Title: st.Headline, Home: link, Self: link + "/feed", Entries: articleEntries(base, arts)})
}

// topicFeed and entityFeed follow the stories of a hashtag or a name.
func (s *server) topicFeed(w http.ResponseWriter, r *http.Request) {
	tag := strings.TrimPrefix(r.PathValue("tag"), "#")
	if tag == "" {
		s.notFound(w, r)
		return
	}
	s.storiesFeed(w, r, s.opt.SiteName+": #"+tag, "/topic/"+url.PathEscape(tag),
		s.insight.withHashtag(r.Context(), tag, feedEntries))
}

func (s *server) entityFeed(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PathValue("name"))
	if name == "" {
		s.notFound(w, r)
		return
	}
	stories, _ := s.insight.withEntity(r.Context(), name, feedEntries)
	s.storiesFeed(w, r, s.opt.SiteName+": "+name, "/entity/"+url.PathEscape(name), stories)
}

// sourceFeed is an outlet's newest articles.
func (s *server) sourceFeed(w http.ResponseWriter, r *http.Request) {
	src, ok := s.pathSource(w, r)
	if !ok {
		return
	}
	id := src.ID
	arts, _, err := s.st.Articles(r.Context(), store.ArticleQuery{SourceID: id, Limit: feedEntries})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("source feed %d: %w", id, err))
		return
	}
	base := s.baseURL(r)
	home := base + "/source/" + strconv.FormatInt(id, 10)
	s.writeFeed(w, r, feedDoc{Title: s.opt.SiteName + ": " + src.Name, Home: home, Self: home + "/feed",
		Entries: articleEntries(base, arts)})
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
