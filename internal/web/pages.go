package web

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/outlet"
	"github.com/dateline-news/dateline/internal/store"
)

const (
	frontPageSize   = 30
	cardOutlets     = 4    // outlets named on a card
	storyArticleCap = 1000 // articles shown on one story page
)

// storyCard is one story on a listing page.
type storyCard struct {
	Story   model.Story
	Lead    model.Article // newest article; the card itself when Story.Articles == 1
	Outlets []string      // the most prolific outlets, at most cardOutlets
	More    int           // outlets not named
	Img     string        // path of the card image served by Dateline, "" for none
	Snippet string        // one line of the newest article's text
	Local   int           // articles from the reader's edition (country/language)

	heads []model.Article
	imgs  []string
}

// namedOutlet is an outlet named on a card, with its source for the icon.
type namedOutlet struct {
	Name   string
	Source model.Source
}

// Named pairs the card's outlet names with their sources (found among the
// articles read for the card; a name without one shows no icon).
func (c storyCard) Named() []namedOutlet {
	out := make([]namedOutlet, len(c.Outlets))
	for i, n := range c.Outlets {
		out[i].Name = n
		for _, a := range c.heads {
			if sourceName(a) == n {
				out[i].Source = a.Source
				break
			}
		}
	}
	return out
}

func (c storyCard) Single() bool { return c.Story.Articles <= 1 && c.Lead.ID != 0 }

type frontData struct {
	Lead     *storyCard  // the most prominent story
	Top      []storyCard // the next few, larger than the rest
	Cards    []storyCard // the rest
	Next     string
	Cursor   string
	Edition  edition
	Editions editionChoices
	Sections []section     // stories by shared hashtag
	FirstRun *ingestStatus // no stories yet: what ingest did and what to do next
}

// frontTop is how many stories after the lead get a large card.
const frontTop = 4

func (s *server) frontPage(w http.ResponseWriter, r *http.Request) {
	cursor := r.URL.Query().Get("cursor")
	ed := s.edition(w, r)
	limit := frontPageSize
	if ed.set() {
		limit = editionPool // filtered below; an edition is one page
		cursor = ""
	}
	// One event per storyline, its newest, ranked at the storyline's best
	// (see store.StoryQuery.PerStoryline).
	stories, next, err := s.st.Stories(r.Context(), store.StoryQuery{Limit: limit, Cursor: cursor, PerStoryline: true})
	if err != nil {
		if errors.Is(err, store.ErrBadCursor) {
			s.badRequest(w, r, "That page link is not valid.")
			return
		}
		s.serverError(w, r, fmt.Errorf("front page: %w", err))
		return
	}
	cards, err := s.cards(r.Context(), stories)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if ed.set() {
		cards, next = ed.filter(cards), ""
		if len(cards) > frontPageSize {
			cards = cards[:frontPageSize]
		}
	}
	d := frontData{Next: next, Cursor: cursor, Edition: ed, Editions: s.editionChoices(r.Context())}
	if cursor == "" {
		cards = arrange(cards, s.now(), ed)
		if len(cards) > 0 {
			d.Lead = &cards[0]
			cards = cards[1:]
		}
		n := min(len(cards), frontTop)
		d.Top, cards = cards[:n], cards[n:]
	}
	d.Cards = cards
	if cursor == "" && !ed.set() {
		shown := map[int64]bool{}
		if d.Lead != nil {
			shown[d.Lead.Story.ID] = true
		}
		for _, c := range d.Top {
			shown[c.Story.ID] = true
		}
		d.Sections = s.sections(r.Context(), shown)
	}
	title := ""
	switch {
	case cursor != "":
		title = "Older stories"
	case ed.set():
		title = ed.Label()
	}
	rd := s.reader(r)
	if d.Lead == nil && len(d.Cards) == 0 && cursor == "" && !ed.set() {
		d.FirstRun = s.firstRun(r, rd)
	}
	s.render(w, r, http.StatusOK, "front.html", page{Title: title, Feed: "/feed.xml", Reader: rd, Data: d})
}

// prominence orders the first page by the one stored rank (story.Rank, a
// logarithm: breadth, recency and velocity, with a storyline's newest event
// at the storyline's best), the reader's edition raising stories its outlets
// covered. An item dated in the future (older data; ingest clamps dates now)
// ranks as if two days old: a wrong clock must not pin it above today's news.
func prominence(c storyCard, now time.Time, ed edition) float64 {
	st := c.Story
	p := st.StorylineScore
	if p == 0 {
		p = st.Score
	}
	if ahead := st.Updated.Sub(now); ahead > 10*time.Minute {
		p -= math.Ln2 * (ahead.Hours() + 48) / 12 // story.Rank gains ln2 per 12 hours
	}
	if ed.set() && st.Articles > 0 {
		p += math.Log1p(float64(c.Local) / float64(max(st.Articles, 1)))
	}
	return p
}

// arrange orders cards by prominence, most prominent first (stable for ties).
func arrange(cards []storyCard, now time.Time, ed edition) []storyCard {
	out := slices.Clone(cards)
	score := make(map[int64]float64, len(out))
	for _, c := range out {
		score[c.Story.ID] = prominence(c, now, ed)
	}
	slices.SortStableFunc(out, func(a, b storyCard) int { return cmp.Compare(score[b.Story.ID], score[a.Story.ID]) })
	// The lead should show a picture when a nearly as prominent story has one.
	if len(out) > 1 && out[0].Img == "" {
		for i := 1; i < min(len(out), 3); i++ {
			// within a fifth of the lead's score (scores are logarithms)
			if out[i].Img != "" && score[out[i].Story.ID] >= score[out[0].Story.ID]+math.Log(0.8) {
				out[0], out[i] = out[i], out[0]
				break
			}
		}
	}
	return out
}

// cards reads enough of each story's coverage to name its outlets, and
// finds each story's image.
func (s *server) cards(ctx context.Context, stories []model.Story) ([]storyCard, error) {
	cards := make([]storyCard, 0, len(stories))
	var urls []string
	for _, st := range stories {
		h, err := s.heads.head(ctx, s.st, st)
		if err != nil {
			return nil, err
		}
		c := storyCard{Story: st, heads: h.articles, Snippet: h.snippet}
		c.Story.Headline = h.headline(st.Headline)
		if len(h.articles) > 0 {
			c.Lead = h.articles[0]
		}
		names := h.outlets
		c.More = max(st.Outlets, len(names)) - min(len(names), cardOutlets)
		c.Outlets = names[:min(len(names), cardOutlets)]
		c.imgs = storyImages(st, h.articles)
		urls = append(urls, c.imgs...)
		cards = append(cards, c)
	}
	ready := s.readyImages(ctx, urls)
	for i := range cards {
		cards[i].Img = firstReady(cards[i].imgs, ready, media.Card)
	}
	return cards, nil
}

// outletsByCoverage names the outlets of arts, most articles first, then
// first to publish.
func outletsByCoverage(arts []model.Article) []string {
	type tally struct {
		name  string
		n     int
		first time.Time
	}
	idx := make(map[string]int)
	var ts []tally
	for _, a := range arts {
		name := sourceName(a)
		i, ok := idx[name]
		if !ok {
			i = len(ts)
			idx[name] = i
			ts = append(ts, tally{name: name, first: a.Published})
		}
		ts[i].n++
		if a.Published.Before(ts[i].first) {
			ts[i].first = a.Published
		}
	}
	slices.SortStableFunc(ts, func(a, b tally) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return a.first.Compare(b.first)
	})
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.name
	}
	return names
}

// sourceName is the outlet readers see: the source's name, but a page's
// og:site_name rather than a placeholder host name.
func sourceName(a model.Article) string {
	switch {
	case a.Source.Name != "" && (a.SiteName == "" || !outlet.AutoNamed(a.Source.Name, a.Source.HomeURL)):
		return a.Source.Name
	case a.SiteName != "":
		return outlet.Name("", a.SiteName, host(a.URL))
	case a.SiteName != "":
		return a.SiteName
	default:
		return host(a.URL)
	}
}

// storyData is the story page.
type storyData struct {
	Story     model.Story
	Img       string   // lead image path, "" for none
	Countries []choice // outlets per country
	Langs     []choice // outlets per language
	Copies    int      // syndicated copies folded under originals
	Groups    []outletGroup
	Shown     int // articles listed
	Insight   insightView
	Truncated bool
	Line      *storylineNav // its storyline, when it has other events
}

// outletGroup is one outlet's coverage of a story.
type outletGroup struct {
	Source model.Source
	Name   string
	Items  []coverageItem
}

// coverageItem is an original article and the syndicated copies of it.
type coverageItem struct {
	Article     model.Article
	Copies      []model.Article
	CopyOutlets []string
}

// CarriedBy is "Yomiuri Shimbun and 12 others".
func (c coverageItem) CarriedBy() string {
	return nameList(c.CopyOutlets, 2)
}

// nameList names the first shown names and counts the rest.
func nameList(names []string, shown int) string {
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return names[0]
	case len(names) <= shown+1:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	default:
		rest := len(names) - shown
		return strings.Join(names[:shown], ", ") + " and " + count(rest, "other")
	}
}

// pathStory loads the story named in the path for a page or feed handler.
// It answers 404 or 500 itself, and a 301 to suffix under the surviving
// story when the story was merged; ok is false when it has answered.
func (s *server) pathStory(w http.ResponseWriter, r *http.Request, suffix string) (st model.Story, ok bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return st, false
	}
	st, err := s.st.Story(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return st, false
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("story %d%s: %w", id, suffix, err))
		return st, false
	}
	if st.MergedInto != 0 {
		http.Redirect(w, r, "/story/"+strconv.FormatInt(st.MergedInto, 10)+suffix, http.StatusMovedPermanently)
		return st, false
	}
	return st, true
}

func (s *server) storyPage(w http.ResponseWriter, r *http.Request) {
	st, ok := s.pathStory(w, r, "")
	if !ok {
		return
	}
	cov, err := s.coverage.head(r.Context(), s.st, st)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	st.Headline = cov.headline(st.Headline)
	d := storyData{Story: st, Groups: groupCoverage(cov.articles), Shown: len(cov.articles), Truncated: cov.truncated}
	d.Countries, d.Langs, d.Copies = breakdown(cov.articles)
	imgs := storyImages(st, cov.articles)
	d.Img = firstReady(imgs, s.readyImages(r.Context(), imgs), media.Large)
	d.Insight = s.insight.story(r.Context(), st, nil)
	d.Line = s.storylineOf(r.Context(), st)
	s.render(w, r, http.StatusOK, "story.html", page{
		Title:    st.Headline,
		Feed:     fmt.Sprintf("/story/%d/feed.xml", st.ID),
		Comments: s.comments(r, "story", st.ID),
		Data:     d,
	})
}

// storyArticles reads up to limit of a story's articles, newest first.
func storyArticles(ctx context.Context, st store.Store, id int64, limit int) ([]model.Article, bool, error) {
	var all []model.Article
	cursor := ""
	for {
		arts, next, err := st.Articles(ctx, store.ArticleQuery{StoryID: id, Limit: min(200, limit-len(all)), Cursor: cursor})
		if err != nil {
			return nil, false, fmt.Errorf("articles of story %d: %w", id, err)
		}
		all = append(all, arts...)
		if next == "" || len(arts) == 0 {
			return all, false, nil
		}
		if len(all) >= limit {
			return all, true, nil
		}
		cursor = next
	}
}

// groupCoverage groups arts by outlet, first outlet to publish first, and
// folds syndicated copies under the article they copy.
func groupCoverage(arts []model.Article) []outletGroup {
	byID := make(map[int64]model.Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	// root follows CopyOf inside this story to the original (bounded: the
	// chain could in principle loop through bad data).
	root := func(a model.Article) int64 {
		id := a.ID
		for range 8 {
			next := byID[id].CopyOf
			if _, ok := byID[next]; next == 0 || !ok || next == id {
				break
			}
			id = next
		}
		return id
	}
	copies := make(map[int64][]model.Article)
	var originals []model.Article
	for _, a := range arts {
		if rid := root(a); rid != a.ID {
			copies[rid] = append(copies[rid], a)
			continue
		}
		originals = append(originals, a)
	}
	// Oldest first inside a story reads like the story unfolding.
	slices.SortStableFunc(originals, func(a, b model.Article) int { return a.Published.Compare(b.Published) })

	idx := make(map[string]int)
	var groups []outletGroup
	for _, a := range originals {
		name := sourceName(a)
		i, ok := idx[name]
		if !ok {
			i = len(groups)
			idx[name] = i
			groups = append(groups, outletGroup{Source: a.Source, Name: name})
		}
		it := coverageItem{Article: a, Copies: copies[a.ID]}
		slices.SortStableFunc(it.Copies, func(a, b model.Article) int { return a.Published.Compare(b.Published) })
		seen := map[string]bool{name: true}
		for _, c := range it.Copies {
			if n := sourceName(c); !seen[n] {
				seen[n] = true
				it.CopyOutlets = append(it.CopyOutlets, n)
			}
		}
		groups[i].Items = append(groups[i].Items, it)
	}
	return groups
}

// breakdown counts a story's outlets by country and by language, and its
// syndicated copies.
func breakdown(arts []model.Article) (countries, langs []choice, copies int) {
	type key struct{ kind, code string }
	seen := map[key]map[string]bool{}
	count := func(kind, code, outlet string) {
		if code == "" {
			return
		}
		k := key{kind, code}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][outlet] = true
	}
	for _, a := range arts {
		if a.CopyOf != 0 {
			copies++
		}
		name := sourceName(a)
		count("c", validCountry(a.Source.Country), name)
		l := a.Language
		if l == "" {
			l = a.Source.Language
		}
		count("l", validLang(l), name)
	}
	cm, lm := map[string]int{}, map[string]int{}
	for k, outlets := range seen {
		if k.kind == "c" {
			cm[k.code] = len(outlets)
		} else {
			lm[k.code] = len(outlets)
		}
	}
	return choices(cm), choices(lm), copies
}

// articleData is the article page.
type articleData struct {
	Article   model.Article
	Img       string        // lead image path, "" for none
	Body      template.HTML // the stored, already sanitized HTML
	Story     *model.Story
	KeyPoints []string
	Hashtags  []string
	Related   []relatedView
}

func (s *server) articlePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, err := s.st.Article(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("article %d: %w", id, err))
		return
	}
	a.Title = s.titles.title(r.Context(), a)
	d := articleData{Article: a, Body: template.HTML(s.localImages(r.Context(), string(sanitizedHTML(a))))}
	if a.Image != "" {
		d.Img = firstReady([]string{a.Image}, s.readyImages(r.Context(), []string{a.Image}), media.Large)
	}
	if a.StoryID != 0 {
		if st, err := s.st.Story(r.Context(), a.StoryID); err == nil {
			if st.MergedInto != 0 {
				if live, err := s.st.Story(r.Context(), st.MergedInto); err == nil {
					st = live
				}
			}
			if h, err := s.heads.head(r.Context(), s.st, st); err == nil {
				st.Headline = h.headline(st.Headline)
			}
			d.Story = &st
		} else if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("story of article", "article", id, "err", err)
		}
	}
	d.KeyPoints, d.Hashtags = s.insight.article(r.Context(), a)
	if d.Story != nil {
		d.Related = s.insight.related(r.Context(), d.Story.ID, 5)
	}
	s.render(w, r, http.StatusOK, "article.html", page{
		Title:    a.Title,
		Comments: s.comments(r, "article", a.ID),
		Data:     d,
	})
}

// sanitizedHTML marks the article body safe. Only Article.HTML qualifies: the
// extractor stores it after sanitizing; any other field is escaped as text.
func sanitizedHTML(a model.Article) template.HTML {
	return template.HTML(a.HTML)
}

func (s *server) comments(r *http.Request, kind string, id int64) template.HTML {
	if s.opt.Comments == nil {
		return ""
	}
	h, err := s.opt.Comments.Section(r, kind, id)
	if err != nil {
		// The hook may still return a notice to show in place of comments.
		s.log.Warn("comments", "kind", kind, "id", id, "err", err)
	}
	return h
}

type listData struct {
	Heading string
	Kind    string // "topic", "entity", "search"
	Query   string
	Cards   []storyCard
	Quotes  []quoteView
	Stories []relatedView // stories the quotes come from, by index
	Notice  string
	Reader  *Reader // signed-in reader, for the follow button
	Follow  bool    // show a follow button (accounts are on)
}

func (s *server) topicPage(w http.ResponseWriter, r *http.Request) {
	tag := strings.TrimPrefix(r.PathValue("tag"), "#")
	if tag == "" {
		s.notFound(w, r)
		return
	}
	stories := s.insight.withHashtag(r.Context(), tag, frontPageSize)
	cards, err := s.cards(r.Context(), stories)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rd := s.reader(r)
	s.render(w, r, http.StatusOK, "list.html", page{Title: "#" + tag, Reader: rd, Feed: "/topic/" + url.PathEscape(tag) + "/feed.xml",
		Data: listData{Heading: "#" + tag, Kind: "topic", Query: tag, Cards: cards, Reader: rd, Follow: s.readers() != nil}})
}

func (s *server) entityPage(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PathValue("name"))
	if name == "" {
		s.notFound(w, r)
		return
	}
	stories, quotes := s.insight.withEntity(r.Context(), name, frontPageSize)
	cards, err := s.cards(r.Context(), stories)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "list.html", page{Title: name, Feed: "/entity/" + url.PathEscape(name) + "/feed.xml",
		Data: listData{Heading: name, Kind: "entity", Query: name, Cards: cards, Quotes: quotes}})
}

func (s *server) offlinePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "offline.html", page{Title: "Offline"})
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var err error
	switch db := s.st.(type) {
	case interface{ Ping(context.Context) error }:
		err = db.Ping(ctx)
	case interface{ ReadDB() *sql.DB }:
		err = db.ReadDB().PingContext(ctx)
	case interface{ DB() *sql.DB }:
		err = db.DB().PingContext(ctx)
	}
	if err != nil {
		s.log.Error("healthz", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// pathID reads the {id} path segment; false when it is not a positive integer.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
