package insight

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Signature is what Related compares: a story's entities and terms.
type Signature struct {
	StoryID int64
	// Storyline is the story's storyline (an incident with its follow-ups),
	// when the clusterer knows it: stories of one storyline are always
	// related. Zero when unknown. Hook: set it from model.Story's storyline
	// id once stories carry one (see web's computeInsight).
	Storyline int64     `json:",omitempty"`
	Entities  []string  // names, most salient first
	Kinds     []string  `json:",omitempty"` // kind of each entity (KindPerson …), parallel to Entities
	Terms     []string  // salient stems, for ranking only
	Updated   time.Time //
}

// NewSignature builds the signature of a story from its insight.
func NewSignature(storyID int64, in Insight, updated time.Time) Signature {
	s := Signature{StoryID: storyID, Terms: in.Terms, Updated: updated}
	for _, e := range in.Entities {
		s.Entities = append(s.Entities, e.Name)
		s.Kinds = append(s.Kinds, e.Kind)
	}
	return s
}

// Related returns up to limit other stories related to self with DefaultConfig.
func Related(self Signature, candidates []Signature, limit int) []int64 {
	return DefaultConfig().Related(self, candidates, limit)
}

// entityIDF weighs each entity by its rarity among the signatures: a name
// in every other story ("Covid", "United States", the home city) says
// little about which story this is; a name in two says a lot.
type entityIDF struct {
	df    map[string]int
	n     int
	limit int // most stories a distinctive entity may name
}

func (c Config) newEntityIDF(self Signature, cands []Signature) entityIDF {
	x := entityIDF{df: map[string]int{}, n: len(cands) + 1}
	x.limit = max(c.DistinctiveMinStories, int(c.DistinctiveShare*float64(x.n)))
	add := func(s Signature) {
		seen := map[string]bool{}
		for _, e := range s.Entities {
			k := strings.ToLower(e)
			if !seen[k] {
				seen[k] = true
				x.df[k]++
			}
		}
	}
	add(self)
	for _, c := range cands {
		if c.StoryID != self.StoryID {
			add(c)
		}
	}
	return x
}

func (x entityIDF) weight(k string) float64 {
	return math.Log(1 + float64(x.n)/float64(max(1, x.df[k])))
}

// distinctive: the entity names few of the stories (DistinctiveShare of
// them, or DistinctiveMinStories in a small set).
func (x entityIDF) distinctive(k string) bool {
	return x.df[k] <= x.limit
}

// relatedScore compares two signatures under idf. It returns the weighted
// cosine of their entities (plus a little for shared terms), whether they
// are related at all, and why not.
func (c Config) relatedScore(x entityIDF, a, b Signature) (float64, bool) {
	if a.Storyline != 0 && a.Storyline == b.Storyline {
		return 2, true // one storyline: the strongest link there is
	}
	wa := map[string]float64{}
	nonPlace := map[string]bool{}
	var na float64
	for i, e := range a.Entities {
		k := strings.ToLower(e)
		if _, ok := wa[k]; ok {
			continue
		}
		w := x.weight(k)
		wa[k] = w
		na += w * w
		if i >= len(a.Kinds) || a.Kinds[i] != KindPlace {
			nonPlace[k] = true
		}
	}
	var nb, dotw, sharedW, totA, totB float64
	shared, sharedNonPlace := 0, 0
	seen := map[string]bool{}
	for _, e := range b.Entities {
		k := strings.ToLower(e)
		if seen[k] {
			continue
		}
		seen[k] = true
		w := x.weight(k)
		nb += w * w
		totB += w
		if wA, ok := wa[k]; ok {
			dotw += wA * w
			sharedW += w
			if x.distinctive(k) {
				shared++
				if nonPlace[k] {
					sharedNonPlace++
				}
			}
		}
	}
	for _, w := range wa {
		totA += w
	}
	if dotw == 0 {
		return 0, false
	}
	cos := dotw / math.Sqrt(na*nb)
	// overlap: how much of the smaller story's weight the other covers
	overlap := sharedW / math.Min(totA, totB)
	strong := shared >= c.MinRelatedShared && sharedNonPlace >= 1 || overlap >= c.RelatedHighOverlap && sharedNonPlace >= 1
	if !strong {
		return cos, false
	}
	ct, _ := setCos(a.Terms, b.Terms)
	return cos + 0.2*ct, cos+0.2*ct >= c.MinRelatedScore
}

// RelatedScore is the similarity of two signatures weighing entities by
// rarity between just the two (for tests and tools); zero when unrelated.
func RelatedScore(a, b Signature) float64 {
	c := DefaultConfig()
	s, ok := c.relatedScore(c.newEntityIDF(a, []Signature{b}), a, b)
	if !ok {
		return 0
	}
	return s
}

func setCos(a, b []string) (float64, int) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	m := make(map[string]bool, len(a))
	for _, x := range a {
		m[strings.ToLower(x)] = true
	}
	n := 0
	seen := map[string]bool{}
	for _, x := range b {
		k := strings.ToLower(x)
		if m[k] && !seen[k] {
			seen[k] = true
			n++
		}
	}
	return float64(n) / math.Sqrt(float64(len(m))*float64(len(b))), n
}

// Related returns up to limit other stories related to self: those of the
// same storyline, or sharing at least MinRelatedShared distinctive
// entities (one of them not a place: two stories in one city are not
// related for it), or whose entities overlap almost wholly; entities are
// weighted by rarity among the candidates. The best scoring are listed
// most recent first; never self.
func (c Config) Related(self Signature, candidates []Signature, limit int) []int64 {
	type scored struct {
		s     Signature
		score float64
	}
	x := c.newEntityIDF(self, candidates)
	var list []scored
	for _, cand := range candidates {
		if cand.StoryID == self.StoryID {
			continue
		}
		if sc, ok := c.relatedScore(x, self, cand); ok {
			list = append(list, scored{cand, sc})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].score > list[j].score })
	if limit >= 0 && len(list) > limit {
		list = list[:limit]
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].s.Updated.After(list[j].s.Updated) })
	out := make([]int64, len(list))
	for i, x := range list {
		out[i] = x.s.StoryID
	}
	return out
}
