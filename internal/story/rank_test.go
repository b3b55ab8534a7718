package story

import (
	"math"
	"testing"
	"time"
)

// TestRankOrdersLikeScore: sorting by the stored Rank gives Score's order at
// any later moment, which is what lets the front page sort on a column.
func TestRankOrdersLikeScore(t *testing.T) {
	base := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	type s struct {
		outlets, countries, articles int
		first, last                  time.Time
	}
	stories := []s{
		{12, 5, 30, base.Add(-20 * time.Hour), base.Add(-6 * time.Hour)},
		{2, 1, 2, base.Add(-1 * time.Hour), base},
		{5, 3, 9, base.Add(-3 * time.Hour), base.Add(-2 * time.Hour)},
		{1, 1, 1, base.Add(-48 * time.Hour), base.Add(-48 * time.Hour)},
		{30, 12, 80, base.Add(-72 * time.Hour), base.Add(-30 * time.Hour)},
	}
	for _, now := range []time.Time{base, base.Add(5 * time.Hour), base.Add(72 * time.Hour)} {
		for i := range stories {
			for j := range stories {
				a, b := stories[i], stories[j]
				sa := Score(a.outlets, a.countries, a.articles, a.first, a.last, now)
				sb := Score(b.outlets, b.countries, b.articles, b.first, b.last, now)
				ra := Rank(a.outlets, a.countries, a.articles, a.first, a.last)
				rb := Rank(b.outlets, b.countries, b.articles, b.first, b.last)
				if sa > 0 && sb > 0 && math.Abs(sa-sb) > 1e-12 && (sa > sb) != (ra > rb) {
					t.Errorf("at %v: Score says %d %s %d, Rank disagrees", now, i, map[bool]string{true: ">", false: "<"}[sa > sb], j)
				}
			}
		}
	}
	// Breadth beats a single article of the same age.
	if Rank(10, 4, 12, base.Add(-2*time.Hour), base) <= Rank(1, 1, 1, base, base) {
		t.Error("a broad story does not outrank a lone article of the same time")
	}
}
