package web

import (
	"context"

	"github.com/dateline-news/dateline/internal/store"
)

// Blind spots: the widely covered top stories an outlet did not cover.
const (
	blindSpotPool       = 60 // top stories looked through
	blindSpotMinOutlets = 3  // "widely covered"
	blindSpotShown      = 6
)

// blindSpots lists up to blindSpotShown of the top stories that at least
// blindSpotMinOutlets outlets covered and source did not.
func (s *server) blindSpots(ctx context.Context, source int64) ([]storyCard, error) {
	stories, _, err := s.st.Stories(ctx, store.StoryQuery{Limit: blindSpotPool, MinArticles: blindSpotMinOutlets})
	if err != nil {
		return nil, err
	}
	cards, err := s.cards(ctx, stories)
	if err != nil {
		return nil, err
	}
	var out []storyCard
	for _, c := range cards {
		if c.Story.Outlets < blindSpotMinOutlets {
			continue
		}
		covered := false
		for _, a := range c.heads {
			if a.SourceID == source {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, c)
			if len(out) == blindSpotShown {
				break
			}
		}
	}
	return out, nil
}
