package web

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dateline-news/dateline/internal/model"
)

// insightCodeVersion is part of every cache key: bump it when the insight
// computation or cachedInsight changes shape.
const insightCodeVersion = "w0"

// computeInsight enriches a story from its articles.
func computeInsight(st model.Story, arts []model.Article) cachedInsight {
	return cachedInsight{}
}

// computeArticleInsight gives one article's key points and hashtags.
func computeArticleInsight(a model.Article) (keyPoints, hashtags []string) {
	return nil, nil
}

// relatedStories ranks the indexed stories by shared hashtags and entities.
func relatedStories(id int64, self cachedInsight, idx []indexed, limit int) []relatedView {
	tags := make(map[string]bool)
	for _, h := range self.View.Hashtags {
		tags[strings.ToLower(h)] = true
	}
	ents := make(map[string]bool)
	for _, e := range self.View.Entities {
		ents[strings.ToLower(e.Name)] = true
	}
	type scored struct {
		rv    relatedView
		score int
	}
	var out []scored
	for _, it := range idx {
		if it.story.ID == id || it.story.MergedInto != 0 {
			continue
		}
		n := 0
		for _, h := range it.ci.View.Hashtags {
			if tags[strings.ToLower(h)] {
				n += 2
			}
		}
		for _, e := range it.ci.View.Entities {
			if ents[strings.ToLower(e.Name)] {
				n++
			}
		}
		if n >= 2 {
			out = append(out, scored{relatedView{ID: it.story.ID, Headline: it.story.Headline}, n})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	rv := make([]relatedView, 0, min(limit, len(out)))
	for _, s := range out[:min(limit, len(out))] {
		rv = append(rv, s.rv)
	}
	return rv
}
