package web

import (
	"context"
	"fmt"
	"slices"

	"github.com/dateline-news/dateline/internal/insight"
	"github.com/dateline-news/dateline/internal/model"
)

// insightCodeVersion is part of every cache key: bump its prefix when
// cachedInsight changes shape; insight's thresholds and caps change it by
// themselves (Config.Version).
var insightCodeVersion = "w3-" + insight.DefaultConfig().Version()[:8]

func insightArticle(a model.Article) insight.Article {
	return insight.Article{ID: a.ID, Title: a.Title, Text: a.Text, Outlet: sourceName(a), URL: a.URL,
		Published: a.Published, CopyOf: a.CopyOf, Lang: a.Language}
}

// Bounds on what insight reads of a story. insight.Story caps its own work
// (insight.Config: bytes per article and per story, originals read); here a
// big story is read as its first reports (the facts) and its latest ones
// (the developments), plus their copies (cheap: they only add outlets),
// rather than as whichever articles come first.
var (
	insightOriginals = insight.DefaultConfig().MaxStoryArticles
	insightEarliest  = insightOriginals / 4
)

const insightCopies = 200

// insightInput picks the articles of arts that insight reads.
func insightInput(arts []model.Article) []model.Article {
	ids := make(map[int64]bool, len(arts))
	for _, a := range arts {
		ids[a.ID] = true
	}
	var originals, copies []model.Article
	for _, a := range arts {
		if a.CopyOf != 0 && ids[a.CopyOf] {
			copies = append(copies, a)
		} else {
			originals = append(originals, a)
		}
	}
	if len(originals) <= insightOriginals && len(copies) <= insightCopies {
		return arts
	}
	slices.SortStableFunc(originals, func(a, b model.Article) int { return a.Published.Compare(b.Published) })
	if len(originals) > insightOriginals {
		late := originals[len(originals)-(insightOriginals-insightEarliest):]
		originals = append(originals[:insightEarliest:insightEarliest], late...)
	}
	kept := make(map[int64]bool, len(originals))
	for _, a := range originals {
		kept[a.ID] = true
	}
	out := originals
	n := 0
	for _, c := range copies {
		if kept[c.CopyOf] && n < insightCopies {
			out = append(out, c)
			n++
		}
	}
	return out
}

// computeInsight enriches a story from its articles; it stops with ctx's
// error when ctx ends first.
func computeInsight(ctx context.Context, st model.Story, arts []model.Article) (cachedInsight, error) {
	arts = insightInput(arts)
	in := make([]insight.Article, len(arts))
	for i, a := range arts {
		in[i] = insightArticle(a)
	}
	res, err := insight.Story(ctx, in)
	if err != nil {
		return cachedInsight{}, fmt.Errorf("compute insight of story %d: %w", st.ID, err)
	}
	sig := insight.NewSignature(st.ID, res, st.Updated)
	// Hook: once model.Story carries its storyline id, set
	// sig.Storyline from it; stories of one storyline are then always related.
	return cachedInsight{View: toView(res), Sig: &sig}, nil
}

func toView(in insight.Insight) insightView {
	var v insightView
	for _, e := range in.Entities {
		v.Entities = append(v.Entities, entityView{Name: e.Name, Kind: e.Kind})
	}
	v.Hashtags = in.Hashtags
	layout := "Jan 2"
	for _, s := range in.Summary {
		if !s.Published.IsZero() && s.Published.Year() != in.Summary[0].Published.Year() {
			layout = "Jan 2, 2006"
		}
	}
	for _, s := range in.Summary {
		var date string
		if !s.Published.IsZero() {
			date = s.Published.UTC().Format(layout)
		}
		v.Summary = append(v.Summary, summaryView{Text: s.Text, Outlets: s.Outlets, Date: date})
	}
	for _, q := range in.Quotes {
		outlets := q.Outlets
		if outlets == nil {
			outlets = []string{}
		}
		v.Quotes = append(v.Quotes, quoteView{Text: q.Text, Speaker: q.Speaker, Desc: q.SpeakerDesc, Outlets: outlets})
	}
	for _, f := range in.Figures {
		v.Figures = append(v.Figures, figureView{Value: f.Value, What: f.What, SaidBy: f.SaidBy, Outlet: f.Outlet})
	}
	return v.normalize()
}

// computeArticleInsight gives one article's key points and hashtags.
func computeArticleInsight(ctx context.Context, a model.Article) (keyPoints, hashtags []string, err error) {
	in, points, err := insight.ArticleInsight(ctx, insightArticle(a))
	if err != nil {
		return nil, nil, fmt.Errorf("compute insight of article %d: %w", a.ID, err)
	}
	return points, in.Hashtags, nil
}

// relatedStories picks the indexed stories most related to self.
func relatedStories(id int64, self cachedInsight, idx []indexed, limit int) []relatedView {
	if self.Sig == nil {
		return nil
	}
	cands := make([]insight.Signature, 0, len(idx))
	heads := make(map[int64]string, len(idx))
	for _, it := range idx {
		if it.story.ID == id || it.story.MergedInto != 0 || it.ci.Sig == nil {
			continue
		}
		cands = append(cands, *it.ci.Sig)
		heads[it.story.ID] = it.story.Headline
	}
	ids := insight.Related(*self.Sig, cands, limit)
	out := make([]relatedView, 0, len(ids))
	for _, rid := range ids {
		out = append(out, relatedView{ID: rid, Headline: heads[rid]})
	}
	return out
}
