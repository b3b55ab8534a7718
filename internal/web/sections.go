package web

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/dateline-news/dateline/internal/model"
)

// Front page sections: the hashtags most of the recent stories share, each
// with its top stories, read from the insight index topic pages use (never
// computed for the front page: before the index exists there are none).
const (
	sectionCount      = 4
	sectionStories    = 3
	sectionMinStories = 2
)

type section struct {
	Tag   string
	Cards []storyCard
}

// sections picks the tags of the most covered recent stories, leaving out
// stories in skip (already shown large).
func (s *server) sections(ctx context.Context, skip map[int64]bool) []section {
	idx := s.insight.recent(ctx, false)
	type tally struct {
		tag     string
		weight  int
		stories []model.Story
	}
	byTag := map[string]*tally{}
	var order []*tally
	for _, it := range idx {
		for _, h := range it.ci.View.Hashtags {
			tag := strings.TrimPrefix(h, "#")
			key := strings.ToLower(tag)
			if key == "" {
				continue
			}
			t := byTag[key]
			if t == nil {
				t = &tally{tag: tag}
				byTag[key] = t
				order = append(order, t)
			}
			t.weight += max(it.story.Outlets, 1)
			if !skip[it.story.ID] && len(t.stories) < sectionStories {
				t.stories = append(t.stories, it.story)
			}
		}
	}
	slices.SortStableFunc(order, func(a, b *tally) int { return cmp.Compare(b.weight, a.weight) })
	var out []section
	used := map[int64]bool{}
	for _, t := range order {
		if len(out) == sectionCount {
			break
		}
		var picked []model.Story
		for _, st := range t.stories {
			if !used[st.ID] {
				picked = append(picked, st)
			}
		}
		if len(picked) < sectionMinStories {
			continue
		}
		cards, err := s.cards(ctx, picked)
		if err != nil {
			s.log.Warn("front page sections", "err", err)
			return out
		}
		for _, st := range picked {
			used[st.ID] = true
		}
		out = append(out, section{Tag: t.tag, Cards: cards})
	}
	return out
}
