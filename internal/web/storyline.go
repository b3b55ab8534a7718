package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// Storylines: a storyline is the developing story its events (the stories
// of the front page) belong to. It has a timeline page and an API object;
// a story page links to it and to the events before and after it.

const timelineOutlets = 6 // outlets named per event on the timeline

func (s *server) storylineRoutes(mux *http.ServeMux) {
	// The page reads each event's coverage to name its outlets: a scan.
	mux.HandleFunc("GET /storyline/{id}", s.slowGate.wrap(s.storylinePage))
	mux.HandleFunc("GET /api/v1/storylines/{id}", s.gate.wrap(s.apiStoryline))
}

// timelineEvent is one event on a storyline page.
type timelineEvent struct {
	Story   model.Story
	Day     string   // its date, "2 Jan 2006" (UTC)
	Outlets []string // the most prolific outlets, at most timelineOutlets
	More    int      // outlets not named
}

type storylineData struct {
	Line      model.Storyline
	Events    []timelineEvent
	Truncated bool // more events than are listed
}

// day is the date an event happened on, as the timeline shows it.
func day(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.UTC().Format("2 Jan 2006")
}

func (s *server) storylinePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	line, events, err := s.st.Storyline(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("storyline page: %w", err))
		return
	}
	if line.MergedInto != 0 {
		http.Redirect(w, r, "/storyline/"+strconv.FormatInt(line.MergedInto, 10), http.StatusMovedPermanently)
		return
	}
	d := storylineData{Line: line, Events: make([]timelineEvent, 0, len(events)), Truncated: line.Events > len(events)}
	for _, ev := range events {
		h, err := s.heads.head(r.Context(), s.st, ev)
		if err != nil {
			s.serverError(w, r, fmt.Errorf("storyline page: %w", err))
			return
		}
		names := h.outlets
		d.Events = append(d.Events, timelineEvent{Story: ev, Day: day(ev.FirstSeen),
			Outlets: names[:min(len(names), timelineOutlets)],
			More:    max(ev.Outlets, len(names)) - min(len(names), timelineOutlets)})
	}
	s.render(w, r, http.StatusOK, "storyline.html", page{Title: line.Title, Data: d})
}

// apiStorylineEvent is one event of a storyline in the API.
type apiStorylineEvent struct {
	ID          int64     `json:"id"`
	StorylineID int64     `json:"storyline_id"`
	Headline    string    `json:"headline"`
	FirstSeen   time.Time `json:"first_seen"`
	Updated     time.Time `json:"updated"`
	Articles    int       `json:"articles"`
	Outlets     int       `json:"outlets"`
	Countries   int       `json:"countries"`
	URL         string    `json:"url"`
}

type apiStorylineBody struct {
	ID        int64               `json:"id"`
	Title     string              `json:"title"`
	FirstSeen time.Time           `json:"first_seen"`
	Updated   time.Time           `json:"updated"`
	Events    int                 `json:"events"`
	Articles  int                 `json:"articles"`
	Outlets   int                 `json:"outlets"`
	Stories   []apiStorylineEvent `json:"stories"` // newest first
}

func (s *server) apiStoryline(w http.ResponseWriter, r *http.Request) {
	id, ok := apiPathID(w, r)
	if !ok {
		return
	}
	line, events, err := s.st.Storyline(r.Context(), id)
	if err != nil {
		s.apiError(w, r, fmt.Errorf("storyline %d: %w", id, err))
		return
	}
	if line.MergedInto != 0 {
		http.Redirect(w, r, "/api/v1/storylines/"+strconv.FormatInt(line.MergedInto, 10), http.StatusMovedPermanently)
		return
	}
	base := s.baseURL(r)
	out := apiStorylineBody{ID: line.ID, Title: line.Title, FirstSeen: line.FirstSeen.UTC(), Updated: line.Updated.UTC(),
		Events: line.Events, Articles: line.Articles, Outlets: line.Outlets, Stories: make([]apiStorylineEvent, 0, len(events))}
	for _, ev := range events {
		out.Stories = append(out.Stories, apiStorylineEvent{ID: ev.ID, StorylineID: ev.StorylineID, Headline: ev.Headline,
			FirstSeen: ev.FirstSeen.UTC(), Updated: ev.Updated.UTC(), Articles: ev.Articles, Outlets: ev.Outlets,
			Countries: ev.Countries, URL: base + "/story/" + strconv.FormatInt(ev.ID, 10)})
	}
	writeJSON(w, http.StatusOK, out)
}

// storylineNav is what a story page shows of its storyline: a link to it
// and the events just before and after this one. Nil when the story
// stands alone.
type storylineNav struct {
	Line  model.Storyline
	Older *model.Story // the event before this one in time
	Newer *model.Story // the event after it
}

// storylineOf reads st's storyline for its page; nil when st is the only
// event of its storyline. A failure only loses the link, so it is logged,
// not shown.
func (s *server) storylineOf(ctx context.Context, st model.Story) *storylineNav {
	if st.StorylineID == 0 || st.StorylineEvents < 2 { // stands alone: no lookup
		return nil
	}
	line, events, err := s.st.Storyline(ctx, st.StorylineID)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("storyline of story", "story", st.ID, "err", err)
		}
		return nil
	}
	if line.Events < 2 || line.MergedInto != 0 {
		return nil
	}
	nav := &storylineNav{Line: line}
	for i := range events { // newest first
		if events[i].ID != st.ID {
			continue
		}
		if i > 0 {
			nav.Newer = &events[i-1]
		}
		if i+1 < len(events) {
			nav.Older = &events[i+1]
		}
	}
	return nav
}
