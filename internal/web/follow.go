package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// Reader is a signed-in reader and what they follow.
type Reader struct {
	Name    string
	Topics  []string // followed hashtags, without '#'
	Sources []int64  // followed outlets' source IDs
	Admin   bool     // may manage feeds (/admin/feeds)
	Role    string   // reader, moderator or admin, for /api/v1/me; "" derives it from Admin
}

// IsAdmin reports whether the reader may manage feeds; false when nobody is
// signed in.
func (rd *Reader) IsAdmin() bool { return rd != nil && rd.Admin }

// Readers is an optional interface of a Comments hook that knows who is
// signed in. With it pages show follow buttons (posting to the hook's
// POST /follow: fields kind topic|source, value, action follow|unfollow,
// next) and the site serves a "For you" page.
type Readers interface {
	// Reader returns r's signed-in reader; false when nobody is signed in.
	Reader(r *http.Request) (Reader, bool, error)
}

// FollowsTopic reports whether the reader follows hashtag tag.
func (rd *Reader) FollowsTopic(tag string) bool {
	if rd == nil {
		return false
	}
	tag = strings.TrimPrefix(tag, "#")
	return slices.ContainsFunc(rd.Topics, func(t string) bool { return strings.EqualFold(t, tag) })
}

// FollowsSource reports whether the reader follows outlet id.
func (rd *Reader) FollowsSource(id int64) bool {
	return rd != nil && slices.Contains(rd.Sources, id)
}

func (s *server) readers() Readers {
	rs, _ := s.opt.Comments.(Readers)
	return rs
}

// reader returns the signed-in reader of r, or nil. Only a request with a
// cookie can be signed in, so anonymous requests cost nothing.
func (s *server) reader(r *http.Request) *Reader {
	rs := s.readers()
	if rs == nil || r.Header.Get("Cookie") == "" {
		return nil
	}
	rd, ok, err := rs.Reader(r)
	if err != nil {
		s.log.Warn("signed-in reader", "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	return &rd
}

// Bounds on the work of one "For you" page.
const (
	forYouSources       = 50  // followed outlets read
	forYouSourceArticle = 40  // newest articles read per outlet
	forYouLookups       = 150 // stories read from the store
)

type forYouItem struct {
	Card    storyCard
	Because []string // "#flood", "AP"
}

type forYouData struct {
	Reader  *Reader
	Items   []forYouItem
	Sources []model.Source // followed outlets, for naming and unfollowing
}

func (s *server) forYouPage(w http.ResponseWriter, r *http.Request) {
	rd := s.reader(r)
	if rd == nil {
		http.Redirect(w, r, "/login?next=/for-you", http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	d := forYouData{Reader: rd}
	if len(rd.Topics) > 0 || len(rd.Sources) > 0 {
		var err error
		d.Items, d.Sources, err = s.forYou(r.Context(), rd, frontPageSize)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "foryou.html", page{Title: "For you", Reader: rd, Data: d})
}

// forYou picks the recent stories tagged with the reader's topics or covered
// by their outlets, highest ranked (then newest) first.
func (s *server) forYou(ctx context.Context, rd *Reader, limit int) ([]forYouItem, []model.Source, error) {
	type pick struct {
		story   model.Story
		because []string
	}
	picks := make(map[int64]*pick)
	add := func(st model.Story, why string) {
		p, ok := picks[st.ID]
		if !ok {
			p = &pick{story: st}
			picks[st.ID] = p
		}
		if !slices.Contains(p.because, why) {
			p.because = append(p.because, why)
		}
	}
	recent := s.insight.recent(ctx, true)
	known := make(map[int64]model.Story, len(recent))
	for _, it := range recent {
		known[it.story.ID] = it.story
		for _, h := range it.ci.View.Hashtags {
			if t := strings.TrimPrefix(h, "#"); rd.FollowsTopic(t) {
				add(it.story, "#"+t)
			}
		}
	}

	all, err := s.st.Sources(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("sources: %w", err)
	}
	var followed []model.Source
	for _, src := range all {
		if rd.FollowsSource(src.ID) {
			followed = append(followed, src)
		}
	}
	lookups := 0
	for i, src := range followed {
		if i == forYouSources {
			break
		}
		arts, _, err := s.st.Articles(ctx, store.ArticleQuery{SourceID: src.ID, Limit: forYouSourceArticle})
		if err != nil {
			return nil, nil, fmt.Errorf("articles of source %d: %w", src.ID, err)
		}
		for _, a := range arts {
			if a.StoryID == 0 {
				continue
			}
			st, ok := known[a.StoryID]
			if !ok && lookups < forYouLookups {
				lookups++
				st, err = s.liveStory(ctx, a.StoryID)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return nil, nil, err
				}
				known[a.StoryID] = st
				ok = true
			}
			if ok {
				add(st, src.Name)
			}
		}
	}

	list := make([]*pick, 0, len(picks))
	for _, p := range picks {
		list = append(list, p)
	}
	slices.SortFunc(list, func(a, b *pick) int {
		if c := cmp.Compare(b.story.Score, a.story.Score); c != 0 {
			return c
		}
		if c := b.story.Updated.Compare(a.story.Updated); c != 0 {
			return c
		}
		return cmp.Compare(b.story.ID, a.story.ID)
	})
	list = list[:min(len(list), limit)]
	stories := make([]model.Story, len(list))
	for i, p := range list {
		stories[i] = p.story
	}
	cards, err := s.cards(ctx, stories)
	if err != nil {
		return nil, nil, err
	}
	items := make([]forYouItem, len(cards))
	for i, c := range cards {
		items[i] = forYouItem{Card: c, Because: list[i].because}
	}
	return items, followed, nil
}

// liveStory reads story id, following a merge to the story it joined.
func (s *server) liveStory(ctx context.Context, id int64) (model.Story, error) {
	st, err := s.st.Story(ctx, id)
	if err == nil && st.MergedInto != 0 {
		st, err = s.st.Story(ctx, st.MergedInto)
	}
	if err != nil {
		return model.Story{}, fmt.Errorf("story %d: %w", id, err)
	}
	if st.MergedInto != 0 || st.Articles == 0 {
		return model.Story{}, fmt.Errorf("story %d: %w", id, store.ErrNotFound)
	}
	return st, nil
}

const sourcePageSize = 30

type sourceData struct {
	Source   model.Source
	Name     string // what readers see: og:site_name over a host-derived placeholder
	Articles []model.Article
	Next     string
	Cursor   string
	Reader   *Reader
	Follow   bool        // show a follow button (accounts are on)
	Missed   []storyCard // widely covered top stories this outlet did not cover
}

// pathSource is the outlet named by the path's {id}; it answers 404 (or
// 500) itself and reports false when there is none.
func (s *server) pathSource(w http.ResponseWriter, r *http.Request) (model.Source, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return model.Source{}, false
	}
	all, err := s.st.Sources(r.Context())
	if err != nil {
		s.serverError(w, r, fmt.Errorf("sources: %w", err))
		return model.Source{}, false
	}
	i := slices.IndexFunc(all, func(src model.Source) bool { return src.ID == id })
	if i < 0 {
		s.notFound(w, r)
		return model.Source{}, false
	}
	return all[i], true
}

// sourcePage lists an outlet's newest articles.
func (s *server) sourcePage(w http.ResponseWriter, r *http.Request) {
	src, ok := s.pathSource(w, r)
	if !ok {
		return
	}
	id := src.ID
	cursor := r.URL.Query().Get("cursor")
	arts, next, err := s.st.Articles(r.Context(), store.ArticleQuery{SourceID: id, Limit: sourcePageSize, Cursor: cursor})
	if err != nil {
		if errors.Is(err, store.ErrBadCursor) {
			s.badRequest(w, r, "That page link is not valid.")
			return
		}
		s.serverError(w, r, fmt.Errorf("articles of source %d: %w", id, err))
		return
	}
	s.titles.cleanAll(r.Context(), arts)
	var missed []storyCard
	if cursor == "" {
		if missed, err = s.blindSpots(r.Context(), id); err != nil {
			s.log.Warn("blind spots", "source", id, "err", err)
		}
	}
	name := src.Name
	for _, a := range arts {
		if n := sourceName(a); n != "" {
			name = n
			break
		}
	}
	rd := s.reader(r)
	s.render(w, r, http.StatusOK, "source.html", page{Title: name, Reader: rd, Feed: "/source/" + strconv.FormatInt(id, 10) + "/feed.xml",
		Data: sourceData{Source: src, Name: name, Articles: arts, Next: next, Cursor: cursor, Reader: rd, Follow: s.readers() != nil, Missed: missed}})
}
