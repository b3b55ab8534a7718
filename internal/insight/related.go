package insight

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Signature is what Related compares: a story's entities and terms.
type Signature struct {
	StoryID  int64
	Entities []string
	Terms    []string
	Updated  time.Time
}

// NewSignature builds the signature of a story from its insight.
func NewSignature(storyID int64, in Insight, updated time.Time) Signature {
	s := Signature{StoryID: storyID, Terms: in.Terms, Updated: updated}
	for _, e := range in.Entities {
		s.Entities = append(s.Entities, e.Name)
	}
	return s
}

// Related scoring: shared entities weigh twice shared terms; a candidate
// must share at least one entity and score at least minRelated.
const minRelated = 0.15

// RelatedScore is the similarity of two signatures: 2·cos(entities) + cos(terms),
// each a set cosine |A∩B|/√(|A||B|). Zero when they share no entity.
func RelatedScore(a, b Signature) float64 {
	ce, ne := setCos(a.Entities, b.Entities)
	if ne == 0 {
		return 0
	}
	ct, _ := setCos(a.Terms, b.Terms)
	return (2*ce + ct) / 3
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

// Related returns up to limit other stories related to self: the best
// scoring candidates above the threshold (never self), listed most recent first.
func Related(self Signature, candidates []Signature, limit int) []int64 {
	type scored struct {
		s     Signature
		score float64
	}
	var list []scored
	for _, c := range candidates {
		if c.StoryID == self.StoryID {
			continue
		}
		if sc := RelatedScore(self, c); sc >= minRelated {
			list = append(list, scored{c, sc})
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
