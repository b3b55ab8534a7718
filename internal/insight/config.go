package insight

import (
	"context"
	"fmt"
	"hash/fnv"
)

// Config holds every threshold and cap of insight. The caps make the work
// for one story bounded whatever a publisher sends: text is read up to a
// per-article and per-story budget, and the only super-linear step (the
// summary's sentence graph) sees a capped number of sentences.
//
// The zero Config is not useful; start from DefaultConfig.
type Config struct {
	// MaxArticleBytes is how much of one article's text is read. News
	// articles are 2–10 KB; a long feature 30–50 KB. Beyond the cap the
	// text is cut at a paragraph (or sentence, or word) boundary.
	MaxArticleBytes int
	// MaxStoryBytes is the text budget of a whole story, shared among its
	// original articles (copies cost nothing: they only add outlets).
	MaxStoryBytes int
	// MinArticleBytes is the least each original article gets of the story
	// budget, so a story of many articles still reads every lead.
	MinArticleBytes int
	// MaxStoryArticles is how many original articles are read; the rest
	// still lend their outlet when they are copies. Callers that know
	// publication times should pick which ones (earliest and latest).
	MaxStoryArticles int

	// MaxSummarySentences is how many leading sentences of one article may
	// enter the summary: a summary line comes from near a lead, and the
	// sentence graph is quadratic in the sentences it holds.
	MaxSummarySentences int
	// MaxSummaryCandidates caps the sentences of the whole story's graph, so
	// it never holds more than MaxSummaryCandidates²/2 pairs.
	MaxSummaryCandidates int
	// SameSentence is the cosine above which two sentences of different
	// articles are one fact told twice (a copy or a light rewrite).
	SameSentence float64
	// Redundant is the cosine above which a summary line would repeat one
	// already chosen.
	Redundant float64
	// SameFactShare is the share of the shorter sentence's content words
	// found in the other above which two sentences state the same fact
	// (outlets rewording one lead: "killed 3" / "three were killed").
	SameFactShare float64
	// SameLeadShare is SameFactShare for two articles' leads published
	// within 36 hours: they report one event's core in their own words.
	SameLeadShare float64
	// LeadCoreWords: for two such leads the share is taken of at most this
	// many content words, the who-did-what core; a long lead's background
	// clause ("after the Senate blocked …") must not hide that it tells the
	// same happening (0: the whole shorter sentence).
	LeadCoreWords int

	// MaxQuotesPerArticle and MaxFiguresPerArticle bound what one article
	// contributes before quotes and figures are merged across outlets
	// (merging compares quotes pairwise).
	MaxQuotesPerArticle  int
	MaxFiguresPerArticle int
	// MaxStoryQuotes bounds the quotes merged across outlets (pairwise).
	MaxStoryQuotes int

	// MaxEntities, MaxQuotes, MaxFigures, MaxTerms and MaxHashtags bound
	// what a story shows.
	MaxEntities int
	MaxQuotes   int
	MaxFigures  int
	MaxTerms    int
	MaxHashtags int

	// MinRelatedShared is how many distinctive entities two stories must
	// share to be related; RelatedHighOverlap is the weighted overlap that
	// relates them even with fewer (a small story wholly inside a bigger
	// one). MinRelatedScore is the least score listed.
	MinRelatedShared   int
	RelatedHighOverlap float64
	MinRelatedScore    float64
	// An entity is distinctive when it names at most DistinctiveShare of
	// the candidate stories (at least DistinctiveMinStories): on 252 dev
	// roundups, 1/20 let "Senate" and "Republicans" link unrelated bills,
	// 1/40 cut vaccine stories apart; 1/30 sits between.
	DistinctiveShare      float64
	DistinctiveMinStories int

	// CheckEvery is how many units of work (sentences, pairs) pass between
	// two looks at the context, so cancellation is prompt but cheap.
	CheckEvery int
}

// DefaultConfig is the configuration Story and ArticleInsight use.
func DefaultConfig() Config {
	return Config{
		MaxArticleBytes:       64 << 10,
		MaxStoryBytes:         160 << 10,
		MinArticleBytes:       4 << 10,
		MaxStoryArticles:      40,
		MaxSummarySentences:   40,
		MaxSummaryCandidates:  400,
		SameSentence:          0.8,
		Redundant:             0.45,
		SameFactShare:         0.6,
		SameLeadShare:         0.5,
		LeadCoreWords:         15,
		MaxQuotesPerArticle:   40,
		MaxFiguresPerArticle:  20,
		MaxStoryQuotes:        240,
		MaxEntities:           25,
		MaxQuotes:             20,
		MaxFigures:            20,
		MaxTerms:              20,
		MaxHashtags:           8,
		MinRelatedShared:      2,
		RelatedHighOverlap:    0.6,
		MinRelatedScore:       0.2,
		DistinctiveShare:      1.0 / 30,
		DistinctiveMinStories: 3,
		CheckEvery:            256,
	}
}

// Version identifies the configuration: stored results computed under
// another version are out of date. It changes when any threshold does.
func (c Config) Version() string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%+v", c)
	return fmt.Sprintf("%016x", h.Sum64())
}

// ticker looks at ctx once every n calls of tick.
type ticker struct {
	ctx context.Context
	n   int
	i   int
}

func newTicker(ctx context.Context, every int) *ticker {
	if every <= 0 {
		every = 1
	}
	return &ticker{ctx: ctx, n: every}
}

// tick counts one unit of work and returns ctx's error every n units.
func (t *ticker) tick() error {
	t.i++
	if t.i%t.n != 0 {
		return nil
	}
	return t.ctx.Err()
}

// now looks at ctx at once.
func (t *ticker) now() error { return t.ctx.Err() }
