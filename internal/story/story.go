// Package story groups articles into stories online: syndicated copies are
// recognised by SimHash, every other article is compared with the few recent
// stories an inverted index proposes, and joins the best one when similar
// enough or starts a new one. Only stories active within a time window stay in
// memory. Pure: no I/O, not safe for concurrent use.
package story

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/text"
)

// Doc is one article as the clusterer sees it.
type Doc struct {
	ID        int64
	Title     string
	Text      string
	Source    string
	Country   string
	Lang      string
	Published time.Time
}

// Config tunes the clusterer. DefaultConfig is the tuned production setting;
// one configuration serves full text, lead paragraphs and headlines alike.
type Config struct {
	Window time.Duration // stories idle longer than this (stream time) leave memory

	// Similarity needed to join a story for documents of at most ShortTokens
	// content tokens (headlines), about MidTokens (lead paragraphs) and at
	// least LongTokens (full text); interpolated linearly in between.
	ShortThreshold float64
	ShortTokens    int
	MidThreshold   float64
	MidTokens      int
	Threshold      float64
	LongTokens     int

	// MergeThreshold: two stories merge when their centroids are at least this
	// similar to each other.
	MergeThreshold float64
	// MergeDocSim: only stories at least this similar to the new document are
	// checked for merging with the one it joined.
	MergeDocSim float64

	// NoSharedNames multiplies the similarity of a document and a story that
	// both have capitalised names but share none (1 disables).
	NoSharedNames float64

	// StoryLength: the length-adaptive threshold uses the longer of the
	// document and the story's typical member (see pairTokens).
	StoryLength bool

	// CentroidMix weighs centroid similarity against best-member similarity.
	CentroidMix float64
	// Similarity is reduced by TimePenalty·ln(1 + gap/TimeScale), gap being how
	// far the document lies outside the story's time span.
	TimeScale   time.Duration
	TimePenalty float64
	// EventSpan, when positive, bounds a story in time around its first
	// report (an event, not a storyline): a document published more than
	// EventSpan before or after the story's earliest member cannot join it,
	// however similar, so a story cannot chain along a developing subject.
	EventSpan time.Duration
	// A winner below its threshold plus SureMargin must beat the runner-up
	// by RivalMargin: in a crowded subject (many events sharing its words)
	// a modest similarity means little unless it stands out (0 disables).
	SureMargin  float64
	RivalMargin float64

	TitleWeight  float64 // term frequency of a title word
	LeadWeight   float64 // term frequency of a word among the first LeadTokens of the body
	LeadTokens   int
	NameWeight   float64 // multiplier for capitalised names
	NumberWeight float64 // multiplier for numbers (ages, addresses, counts)
	NameWords    bool    // also count each word of a multi-word name as a name
	MaxTerms     int     // features kept per document
	// MaxBodyTokens bounds the work per article: paragraphs after this many
	// body tokens (comments, related links, long tails) are not analysed.
	MaxBodyTokens int
	// CentroidTerms: a story's centroid keeps its heaviest this many terms
	// (pruned when it reaches twice as many).
	CentroidTerms int
	IDFPower      float64 // idf raised to this power (>1 favours rare terms more)

	IndexTerms int // heaviest terms of each document posted in the index
	MaxPosting int // terms posted by more stories than this are not used to find candidates
	Candidates int // stories scored exactly per document
	MaxMembers int // recent members kept with vectors for best-member similarity

	CopyBits      int // SimHash distance at most this (< 8) is a syndicated copy
	MinCopyTokens int // body tokens needed before copy detection is trusted
	// CopyTitleOverlap is the title word Jaccard a copy needs as well.
	CopyTitleOverlap float64

	DFHalfLife int // documents after which document frequencies halve

	// IdentNames: a full-text document that matches no recent story rejoins
	// an earlier one (even one evicted from the window) when at least this
	// many multi-word names it mentions were used by that story and no other
	// (0 disables). IdentEntries bounds the name index (per generation).
	IdentNames   int
	IdentEntries int
	// IdentMinSim is the centroid cosine a name match needs as well;
	// IdentTerms the centroid terms kept for an evicted story.
	IdentMinSim float64
	IdentTerms  int
	// IdentFewerSim, when positive, is the centroid cosine that lets one
	// name fewer than IdentNames suffice.
	IdentFewerSim float64
}

// DefaultConfig returns the configuration tuned on the evaluation sets.
func DefaultConfig() Config {
	return Config{
		Window:           7 * 24 * time.Hour,
		ShortThreshold:   0.1,
		ShortTokens:      12,
		MidThreshold:     0.22,
		MidTokens:        30,
		Threshold:        0.07,
		LongTokens:       200,
		MergeThreshold:   0.3,
		MergeDocSim:      0.1,
		StoryLength:      true,
		CentroidMix:      0.9,
		NoSharedNames:    0.6,
		TimeScale:        24 * time.Hour,
		TimePenalty:      0.09,
		TitleWeight:      2,
		LeadWeight:       1,
		LeadTokens:       80,
		NameWeight:       1.5,
		NameWords:        true,
		NumberWeight:     1,
		MaxTerms:         80,
		MaxBodyTokens:    1000,
		CentroidTerms:    120,
		IDFPower:         1,
		IndexTerms:       20,
		Candidates:       8,
		MaxPosting:       2000,
		MaxMembers:       6,
		CopyBits:         6,
		MinCopyTokens:    40,
		CopyTitleOverlap: 0.3,
		DFHalfLife:       50_000,
		IdentNames:       3,
		IdentEntries:     100_000,
		IdentMinSim:      0.1,
		IdentTerms:       24,
		IdentFewerSim:    0.2,
	}
}

// Assignment is the outcome of adding one document.
type Assignment struct {
	Story    int64   // story the doc joined or started
	New      bool    // started a new story
	Merged   []int64 // stories merged INTO Story by this step (their pages redirect)
	CopyOf   int64   // Doc.ID of an earlier doc this one is a near-identical copy of, 0 if none
	Score    float64 // similarity that decided it
	Reason   string  // short human explanation
	Headline string  // the story's current most representative title

	// Set by Tracker only: the storyline (developing story) the event
	// belongs to, and storylines folded into it by this step.
	Storyline        int64
	StorylinesMerged []int64
}

type member struct {
	id     int64
	t      time.Time
	title  string
	terms  []term // nil once the member is no longer among the recent ones
	copyOf int64
	sim    uint64 // SimHash, 0 when the body was too short
	tw     []uint64
	st     *story
}

type story struct {
	id       int64
	first    time.Time
	last     time.Time
	members  []*member
	sum      []term   // centroid numerator, sorted by hash
	sumSq    float64  // |sum|²
	names    int      // name terms in sum
	tokens   int      // content tokens of the members in sum, for their typical length
	counted  int      // members counted in tokens
	best     float64  // headline's similarity to the centroid when chosen
	indexed  []uint64 // hashes this story is posted under, sorted
	headline string
	alive    bool
	gen      uint64  // candidate lookup that last touched this story
	acc      float64 // index weight shared with that lookup's document
}

type copyEntry struct {
	sim uint64
	m   *member
}

// Clusterer assigns documents to stories.
type Clusterer struct {
	cfg     Config
	next    int64
	an      *analyzer
	df      *dfTable
	stories map[int64]*story
	post    text.Table[[]*story] // emptied lists stay until a sweep
	posted  int                  // non-empty lists in post
	now     time.Time
	adds    int

	copyBands [8][256][]copyEntry // SimHash byte b -> entries; pigeonhole finds distance < 8
	copyQueue []copyEntry         // arrival order, for eviction

	ident *identIndex
	query text.Table[term] // the document's terms, for dot products by lookup
	qbits [16]uint64       // a 1,024-bit filter of query's hashes: most lookups miss

	gen     uint64   // candidate lookup generation
	touched []*story // stories reached by the current lookup
	scored  []scored // scratch of candidates
	cands   []*story
	scratch []term
}

// New returns a Clusterer allocating story IDs from nextStoryID upward.
func New(cfg Config, nextStoryID int64) *Clusterer {
	c := &Clusterer{
		cfg:     cfg,
		next:    nextStoryID,
		df:      newDF(cfg.DFHalfLife),
		stories: map[int64]*story{},
		ident:   newIdentIndex(cfg.IdentEntries),
	}
	c.an = newAnalyzer(&c.cfg)
	return c
}

// Stories is the number of stories currently held in memory.
func (c *Clusterer) Stories() int { return len(c.stories) }

// Seed puts a stored document into a known story without deciding, to restore
// state after a restart. Seed documents in published order.
func (c *Clusterer) Seed(d Doc, storyID int64) {
	f, hs := c.an.analyze(&d, c.df)
	c.df.add(hs)
	c.an.learn(d.Source, storyID, &f)
	c.seed(d, storyID, f)
}

// seed is Seed on analysed features, document frequencies and the
// analyser's learning left to the caller.
func (c *Clusterer) seed(d Doc, storyID int64, f features) {
	c.advance(d.Published)
	s := c.stories[storyID]
	if s == nil {
		s = c.newStory(storyID)
	}
	if storyID >= c.next {
		c.next = storyID + 1
	}
	m := c.join(s, &d, f, 0)
	c.rememberCopy(f.sim, m)
	c.ident.learn(storyID, f.idents)
}

// Add assigns d to a story.
func (c *Clusterer) Add(d Doc) Assignment {
	f, hs := c.an.analyze(&d, c.df)
	return c.add(d, f, hs, true)
}

// add decides d from its analysed features. With own false the analyser
// and document frequencies belong to a caller that updates them itself
// (a Tracker sharing one analysis between its levels).
func (c *Clusterer) add(d Doc, f features, hs []uint64, own bool) Assignment {
	c.advance(d.Published)

	// Syndicated copy of a document still in memory: same story, counted once.
	if orig := c.findCopy(f); orig != nil && orig.st.alive {
		root := orig.id
		if orig.copyOf != 0 {
			root = orig.copyOf
		}
		s := orig.st
		m := c.join(s, &d, f, root)
		c.rememberCopy(f.sim, m)
		c.ident.learn(s.id, f.idents)
		return Assignment{
			Story: s.id, CopyOf: root, Score: 1 - float64(text.Hamming(f.sim, orig.sim))/64,
			Reason:   "a copy of another outlet's article (syndicated)",
			Headline: s.headline,
		}
	}
	if own {
		c.df.add(hs)
	}

	type cand struct {
		s        *story
		sim, thr float64
	}
	var cands []cand
	c.query.Clear()
	c.qbits = [16]uint64{}
	for _, t := range f.terms {
		c.query.Put(t.h, t)
		b := qbit(t.h)
		c.qbits[b>>6] |= 1 << (b & 63)
	}
	// Below floor a candidate neither wins nor merges, so its exact
	// similarity does not matter.
	for _, s := range c.candidates(f.terms) {
		thr := c.threshold(c.pairTokens(f.nTokens, s))
		floor := min(thr, c.cfg.MergeDocSim)
		cands = append(cands, cand{s, c.similarity(&f, s, d.Published, floor), thr})
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.sim != b.sim {
			if a.sim > b.sim {
				return -1
			}
			return 1
		}
		return int(a.s.id - b.s.id)
	})

	// The most similar story that clears its threshold wins.
	win := slices.IndexFunc(cands, func(x cand) bool { return x.sim >= x.thr })
	if win >= 0 && c.cfg.RivalMargin > 0 && cands[win].sim < cands[win].thr+c.cfg.SureMargin {
		rival := 0.0
		for i, x := range cands {
			if i != win && x.sim > rival {
				rival = x.sim
			}
		}
		if cands[win].sim-rival < c.cfg.RivalMargin {
			win = -1
		}
	}
	if win < 0 {
		best := 0.0
		if len(cands) > 0 && !math.IsInf(cands[0].sim, 0) {
			best = cands[0].sim
		}
		if s := c.identified(&f); s != nil {
			m := c.join(s, &d, f, 0)
			c.rememberCopy(f.sim, m)
			if own {
				c.an.learn(d.Source, s.id, &f)
			}
			c.ident.learn(s.id, f.idents)
			return Assignment{
				Story: s.id, Score: best,
				Reason:   "names people or places only this story named",
				Headline: s.headline,
			}
		}
		s := c.newStory(c.next)
		c.next++
		m := c.join(s, &d, f, 0)
		c.rememberCopy(f.sim, m)
		if own {
			c.an.learn(d.Source, s.id, &f)
		}
		c.ident.learn(s.id, f.idents)
		return Assignment{
			Story: s.id, New: true, Score: best,
			Reason:   newStoryReason(best),
			Headline: s.headline,
		}
	}
	s := cands[win].s
	reason := c.explain(f, s, cands[win].sim)
	var merged []int64
	for i, o := range cands {
		if o.sim < c.cfg.MergeDocSim {
			break
		}
		if i == win {
			continue
		}
		if c.cfg.EventSpan > 0 && (o.s.last.Sub(s.first) > c.cfg.EventSpan || s.last.Sub(o.s.first) > c.cfg.EventSpan) {
			continue // together they would outlast an event
		}
		if c.storySim(s, o.s) >= c.cfg.MergeThreshold {
			c.merge(s, o.s)
			merged = append(merged, o.s.id)
		}
	}
	m := c.join(s, &d, f, 0)
	c.rememberCopy(f.sim, m)
	if own {
		c.an.learn(d.Source, s.id, &f)
	}
	c.ident.learn(s.id, f.idents)
	return Assignment{
		Story: s.id, Merged: merged, Score: cands[win].sim, Reason: reason, Headline: s.headline,
	}
}

// identified returns the earlier story f names uniquely (see identIndex),
// when f's words also agree with it at least IdentMinSim; revived from its
// archived centroid when it has left the window. Full texts only: headlines
// name too little to identify an incident.
func (c *Clusterer) identified(f *features) *story {
	if !f.body || c.cfg.IdentNames <= 0 {
		return nil
	}
	var buf [4]identMatch
	minNames := c.cfg.IdentNames
	if c.cfg.IdentFewerSim > 0 && minNames > 1 {
		minNames--
	}
	for _, x := range c.ident.match(f.idents, minNames, buf[:]) {
		id := x.story
		need := c.cfg.IdentMinSim
		if x.names < c.cfg.IdentNames {
			need = c.cfg.IdentFewerSim
		}
		if s := c.stories[id]; s != nil {
			if s.sumSq > 0 && dot(f.terms, s.sum)/math.Sqrt(s.sumSq) >= need {
				return s
			}
			continue
		}
		sum := c.ident.archived(id)
		if sum == nil || cosine(f.terms, sum) < need {
			continue
		}
		s := c.newStory(id)
		s.sum = slices.Clone(sum)
		c.addToCentroid(s, nil)
		return s
	}
	return nil
}

func cosine(a, b []term) float64 {
	var n float64
	for _, t := range b {
		n += float64(t.w) * float64(t.w)
	}
	if n == 0 {
		return 0
	}
	return dot(a, b) / math.Sqrt(n)
}

// pairTokens is the length that sets the threshold for a document of n
// content tokens and story s: the longer of the document and the story's
// typical member. A short text matched against long articles sees the
// cosine diluted by the long side just as two long texts do; two short
// texts (leads, headlines) do not.
func (c *Clusterer) pairTokens(n int, s *story) int {
	if !c.cfg.StoryLength || s.counted == 0 {
		return n
	}
	return max(n, s.tokens/s.counted)
}

// threshold is the similarity a document of n content tokens needs to join a
// story. Cosines mean different things at different lengths: headlines share
// few words even on one story, lead paragraphs are dense with the event's
// words (so topical neighbours also score well), and long full texts dilute
// every overlap. So the threshold is interpolated between three anchors.
func (c *Clusterer) threshold(n int) float64 {
	cfg := &c.cfg
	switch {
	case n <= cfg.ShortTokens:
		return cfg.ShortThreshold
	case n <= cfg.MidTokens:
		x := float64(n-cfg.ShortTokens) / float64(cfg.MidTokens-cfg.ShortTokens)
		return cfg.ShortThreshold + x*(cfg.MidThreshold-cfg.ShortThreshold)
	case n < cfg.LongTokens:
		x := float64(n-cfg.MidTokens) / float64(cfg.LongTokens-cfg.MidTokens)
		return cfg.MidThreshold + x*(cfg.Threshold-cfg.MidThreshold)
	}
	return cfg.Threshold
}

// candidates returns (in scratch space) the stories sharing the most index weight with terms.
// Terms posted by very many stories (MaxPosting) are skipped: they cannot
// tell stories apart and would make every lookup slow.
func (c *Clusterer) candidates(terms []term) []*story {
	// Accumulate on the stories themselves (no map): gen marks which
	// stories were touched by this lookup.
	c.gen++
	c.touched = c.touched[:0]
	for _, t := range terms {
		p, _ := c.post.Get(t.h)
		if len(p) > c.cfg.MaxPosting {
			continue
		}
		for _, s := range p {
			if s.gen != c.gen {
				s.gen, s.acc = c.gen, 0
				c.touched = append(c.touched, s)
			}
			s.acc += float64(t.w)
		}
	}
	all := c.scored[:0]
	for _, s := range c.touched {
		all = append(all, scored{s, s.acc})
	}
	c.scored = all
	better := func(a, b scored) int {
		if a.v != b.v {
			if a.v > b.v {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.s.id, b.s.id)
	}
	if k := c.cfg.Candidates; len(all) > 4*k {
		all = topScored(all, k, better)
	}
	slices.SortFunc(all, better)
	if len(all) > c.cfg.Candidates {
		all = all[:c.cfg.Candidates]
	}
	out := c.cands[:0]
	for _, x := range all {
		out = append(out, x.s)
	}
	c.cands = out
	return out
}

type scored struct {
	s *story
	v float64
}

// topScored returns the k best of xs by cmp (order unspecified), in place.
func topScored[T any](xs []T, k int, cmpf func(a, b T) int) []T {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		xs[mid], xs[hi] = xs[hi], xs[mid]
		p := xs[hi]
		i := lo
		for j := lo; j < hi; j++ {
			if cmpf(xs[j], p) < 0 {
				xs[i], xs[j] = xs[j], xs[i]
				i++
			}
		}
		xs[i], xs[hi] = xs[hi], xs[i]
		switch {
		case i == k-1 || i == k:
			return xs[:k]
		case i < k:
			lo = i + 1
		default:
			hi = i - 1
		}
	}
	return xs[:k]
}

// similarity blends centroid and best-member cosine, discounted by how far t
// lies outside the story's time span.
func (c *Clusterer) similarity(f *features, s *story, t time.Time, floor float64) float64 {
	terms := f.terms
	cen, names := 0.0, 0.0
	if s.sumSq > 0 {
		cen, names = c.queryDot(s.sum)
		cen /= math.Sqrt(s.sumSq)
	}
	// Incident granularity: when both sides name people and places but share
	// none of them, a match on the remaining (topical) words is discounted.
	// Headlines alone are too short to expect a shared name.
	factor := 1.0
	if names == 0 && s.names > 0 && f.body && hasNames(terms) {
		factor = c.cfg.NoSharedNames
	}
	if c.cfg.EventSpan > 0 && (t.Sub(s.first) > c.cfg.EventSpan || s.first.Sub(t) > c.cfg.EventSpan) {
		return math.Inf(-1)
	}
	var gap time.Duration
	if t.After(s.last) {
		gap = t.Sub(s.last)
	} else if t.Before(s.first) {
		gap = s.first.Sub(t)
	}
	penalty := 0.0
	if gap > 0 && c.cfg.TimeScale > 0 {
		// Logarithmic penalty: a strong match (shared names) survives weeks,
		// a weak topical one only hours.
		penalty = c.cfg.TimePenalty * math.Log1p(float64(gap)/float64(c.cfg.TimeScale))
	}
	mix := c.cfg.CentroidMix
	if (mix*cen+(1-mix))*factor-penalty < floor {
		// Even a member identical to the document (cosine 1) could not lift
		// the story to floor: skip the member comparisons.
		return mix*cen*factor - penalty
	}
	best := 0.0
	// only the first and the recent members keep vectors
	n := len(s.members)
	for i := range min(n, 1) {
		if m := s.members[i]; m.terms != nil {
			v, _ := c.queryDot(m.terms)
			best = math.Max(best, v)
		}
	}
	for i := max(1, n-c.cfg.MaxMembers); i < n; i++ {
		if m := s.members[i]; m.terms != nil {
			v, _ := c.queryDot(m.terms)
			best = math.Max(best, v)
		}
	}
	return (mix*cen+(1-mix)*best)*factor - penalty
}

func hasNames(ts []term) bool {
	for _, t := range ts {
		if t.k == kName {
			return true
		}
	}
	return false
}

// queryDot is the dot product of the current document (c.query) with ts,
// and the part of it contributed by names: a lookup per term of ts instead
// of a merge, which mispredicts a branch at almost every step.
func (c *Clusterer) queryDot(ts []term) (all, names float64) {
	for _, t := range ts {
		if b := qbit(t.h); c.qbits[b>>6]&(1<<(b&63)) == 0 {
			continue // certainly not in the document
		}
		if q, ok := c.query.Get(t.h); ok {
			v := float64(q.w) * float64(t.w)
			all += v
			if q.k == kName {
				names += v
			}
		}
	}
	return all, names
}

// qbit is the position of hash h in the query filter: its top bits, which
// FNV-1a's last multiplication mixes well.
func qbit(h uint64) uint64 { return h >> 54 }

func (c *Clusterer) storySim(a, b *story) float64 {
	if a.sumSq == 0 || b.sumSq == 0 {
		return 0
	}
	return dot(a.sum, b.sum) / math.Sqrt(a.sumSq*b.sumSq)
}

func (c *Clusterer) newStory(id int64) *story {
	s := &story{id: id, alive: true}
	c.stories[id] = s
	return s
}

// join adds a document to s: centroid, index, members, headline.
func (c *Clusterer) join(s *story, d *Doc, f features, copyOf int64) *member {
	m := &member{id: d.ID, t: d.Published, title: d.Title, terms: f.terms, copyOf: copyOf, sim: f.sim, tw: f.title, st: s}
	if len(s.members) == 0 || d.Published.Before(s.first) {
		s.first = d.Published
	}
	if d.Published.After(s.last) || len(s.members) == 0 {
		s.last = d.Published
	}
	s.members = append(s.members, m)
	if copyOf == 0 {
		c.addToCentroid(s, f.terms)
		c.index(s, f.terms)
		s.tokens += f.nTokens
		s.counted++
	}
	c.trimMembers(s)
	c.pickHeadline(s, m)
	return m
}

func (c *Clusterer) addToCentroid(s *story, terms []term) {
	s.sum = addSorted(s.sum, terms)
	s.sumSq, s.names = 0, 0
	for _, t := range s.sum {
		s.sumSq += float64(t.w) * float64(t.w)
		if t.k == kName {
			s.names++
		}
	}
	// Keep the centroid to its heaviest terms so big stories stay cheap.
	if max := c.cfg.CentroidTerms; len(s.sum) > 2*max {
		selectTop(s.sum, max)
		s.sum = s.sum[:max]
		sortByHash(s.sum)
		s.sumSq, s.names = 0, 0
		for _, t := range s.sum {
			s.sumSq += float64(t.w) * float64(t.w)
			if t.k == kName {
				s.names++
			}
		}
	}
}

// addSorted returns the sum of two hash-sorted vectors in a's storage: it
// merges from the back, so no element of a is overwritten before it is read.
func addSorted(a, b []term) []term {
	na, n := len(a), len(a)+len(b)
	a = slices.Grow(a, len(b))[:n]
	i, j, k := na-1, len(b)-1, n-1
	for ; j >= 0; k-- {
		switch {
		case i >= 0 && a[i].h > b[j].h:
			a[k] = a[i]
			i--
		case i >= 0 && a[i].h == b[j].h:
			a[k] = term{a[i].h, a[i].w + b[j].w, a[i].k}
			i--
			j--
		default:
			a[k] = b[j]
			j--
		}
	}
	// a[:i+1] is in place; close the gap that equal hashes left.
	if k > i {
		copy(a[i+1:], a[k+1:])
		a = a[:n-(k-i)]
	}
	return a
}

func (c *Clusterer) index(s *story, terms []term) {
	// terms are hash-sorted; post the heaviest IndexTerms.
	top := append(c.scratch[:0], terms...)
	if len(top) > c.cfg.IndexTerms {
		selectTop(top, c.cfg.IndexTerms)
		top = top[:c.cfg.IndexTerms]
	}
	c.scratch = top
	for _, t := range top {
		i, ok := slices.BinarySearch(s.indexed, t.h)
		if ok {
			continue
		}
		s.indexed = slices.Insert(s.indexed, i, t.h)
		p := c.post.Ptr(t.h)
		if len(*p) == 0 {
			c.posted++
		}
		*p = append(*p, s)
	}
}

func (c *Clusterer) unindex(s *story) {
	for _, h := range s.indexed {
		p := c.post.Ptr(h)
		for i, x := range *p {
			if x == s {
				(*p)[i] = (*p)[len(*p)-1]
				(*p)[len(*p)-1] = nil
				*p = (*p)[:len(*p)-1]
				break
			}
		}
		if len(*p) == 0 {
			*p = nil
			c.posted--
		}
	}
	s.indexed = nil
	// Sweep the emptied lists once they outnumber the live ones.
	if n := c.post.Len(); n > 4096 && n > 2*c.posted {
		c.post.Filter(func(_ uint64, p *[]*story) bool { return len(*p) > 0 })
	}
}

// trimMembers keeps vectors only for the first member and the most recent ones.
func (c *Clusterer) trimMembers(s *story) {
	n := len(s.members)
	if n > c.cfg.MaxMembers+1 {
		s.members[n-c.cfg.MaxMembers-1].terms = nil
	}
}

// pickHeadline keeps the title that best covers the story's main terms
// (title words weighed by the centroid), so an aggregator's generic title
// ("Shot in the USA") loses to one naming the event. Copies are skipped. m is
// the newest member, or nil to reconsider all of them (small stories are
// always reconsidered; big ones compare the newcomer with the incumbent).
func (c *Clusterer) pickHeadline(s *story, m *member) {
	score := func(m *member) float64 {
		if m.copyOf != 0 || m.title == "" || len(m.tw) == 0 {
			return -1
		}
		var v float64
		for _, h := range m.tw {
			if i, ok := slices.BinarySearchFunc(s.sum, h, func(t term, h uint64) int { return cmp.Compare(t.h, h) }); ok {
				v += float64(s.sum[i].w)
			}
		}
		return v / math.Sqrt(float64(len(m.tw)+2))
	}
	if m == nil || len(s.members) <= 16 {
		s.best = -1
		for _, x := range s.members {
			if v := score(x); v > s.best {
				s.headline, s.best = x.title, v
			}
		}
	} else if v := score(m); v > s.best {
		s.headline, s.best = m.title, v
	}
	if s.headline == "" && len(s.members) > 0 {
		s.headline = s.members[0].title
	}
}

// merge moves everything of o into s.
func (c *Clusterer) merge(s, o *story) {
	c.unindex(o)
	c.addToCentroid(s, o.sum)
	for _, m := range o.members {
		m.st = s
		if m.terms != nil && m.copyOf == 0 {
			c.index(s, m.terms)
		}
	}
	s.tokens += o.tokens
	s.counted += o.counted
	s.members = append(s.members, o.members...)
	slices.SortStableFunc(s.members, func(a, b *member) int { return a.t.Compare(b.t) })
	// keep vectors for the first and most recent members only
	for i, m := range s.members {
		if i > 0 && i < len(s.members)-c.cfg.MaxMembers {
			m.terms = nil
		}
	}
	if o.first.Before(s.first) {
		s.first = o.first
	}
	if o.last.After(s.last) {
		s.last = o.last
	}
	o.alive = false
	delete(c.stories, o.id)
	c.ident.merged(o.id, s.id)
	c.pickHeadline(s, nil)
}

// explain names the terms that contribute most to the document's similarity
// with the story centroid. Call it before the next analysis: display forms
// come from the analyser's scratch space.
func (c *Clusterer) explain(f features, s *story, sim float64) string {
	type contrib struct {
		h uint64
		v float64
	}
	var buf [12]contrib
	cs := buf[:0]
	j := 0
	for _, t := range f.terms {
		for j < len(s.sum) && s.sum[j].h < t.h {
			j++
		}
		if j == len(s.sum) {
			break
		}
		if _, ok := slices.BinarySearch(f.disp, t.h); !ok || s.sum[j].h != t.h {
			continue
		}
		if v := float64(t.w) * float64(s.sum[j].w); v > 0 {
			cs = append(cs, contrib{t.h, v})
		}
	}
	slices.SortFunc(cs, func(a, b contrib) int {
		if a.v > b.v {
			return -1
		}
		if a.v < b.v {
			return 1
		}
		return 0
	})
	var names []string
	var seen [3]string
	for _, x := range cs {
		d := c.an.display(x.h)
		low := strings.ToLower(d)
		if slices.Contains(seen[:len(names)], low) {
			continue
		}
		seen[len(names)] = low
		names = append(names, d)
		if len(names) == 3 {
			break
		}
	}
	if len(names) == 0 {
		return "reports the same happening in other words"
	}
	return "reports the same: " + strings.Join(names, ", ")
}

// advance moves stream time forward and evicts idle stories now and then.
func (c *Clusterer) advance(t time.Time) {
	if t.After(c.now) {
		c.now = t
	}
	c.adds++
	if c.adds%256 != 0 {
		return
	}
	cut := c.now.Add(-c.cfg.Window)
	for id, s := range c.stories {
		if s.last.Before(cut) {
			if c.cfg.IdentNames > 0 {
				c.ident.archive(s.id, s.sum, c.cfg.IdentTerms)
			}
			c.unindex(s)
			s.alive = false
			delete(c.stories, id)
		}
	}
	// Copy fingerprints leave with their time.
	n := 0
	for n < len(c.copyQueue) && c.copyQueue[n].m.t.Before(cut) {
		e := c.copyQueue[n]
		for b := range c.copyBands {
			k := uint8(e.sim >> (8 * b))
			l := c.copyBands[b][k]
			for i, x := range l {
				if x.m == e.m {
					l = append(l[:i], l[i+1:]...)
					break
				}
			}
			c.copyBands[b][k] = l
		}
		n++
	}
	if n > 0 {
		c.copyQueue = append(c.copyQueue[:0], c.copyQueue[n:]...)
	}
}

func (c *Clusterer) rememberCopy(sim uint64, m *member) {
	if sim == 0 {
		return
	}
	e := copyEntry{sim, m}
	for b := range c.copyBands {
		k := uint8(sim >> (8 * b))
		c.copyBands[b][k] = append(c.copyBands[b][k], e)
	}
	// keep the queue in time order even when documents arrive out of order
	i := len(c.copyQueue)
	for i > 0 && c.copyQueue[i-1].m.t.After(m.t) {
		i--
	}
	c.copyQueue = slices.Insert(c.copyQueue, i, e)
}

// findCopy returns an earlier member whose SimHash is within CopyBits; with
// CopyBits < 8 one of the eight bytes must match exactly.
// Identical boilerplate bodies (paywalls, login pages) must not make copies of
// different articles, so the titles must overlap too.
func (c *Clusterer) findCopy(f features) *member {
	sim := f.sim
	if sim == 0 {
		return nil
	}
	var best *member
	bestD := c.cfg.CopyBits + 1
	for b := range c.copyBands {
		for _, e := range c.copyBands[b][uint8(sim>>(8*b))] {
			if d := text.Hamming(sim, e.sim); d < bestD && jaccard(f.title, e.m.tw) >= c.cfg.CopyTitleOverlap {
				best, bestD = e.m, d
			}
		}
	}
	return best
}

// newStoryReason explains a new story. The best similarity can be negative
// after the time and no-shared-name penalties; a reader only needs to know
// that nothing came close.
func newStoryReason(float64) string {
	return "first report: no other outlet had reported it yet"
}
