// Package clustering scores the story clusterer against human-labelled story
// sets (JSON lines, see /work/shared/data/clustering/README.md): pairwise and
// BCubed precision, recall and F1.
package clustering

// Scores are pairwise and BCubed precision, recall and F1.
type Scores struct {
	PairwiseP, PairwiseR, PairwiseF1 float64
	BCubedP, BCubedR, BCubedF1       float64
}

// Score compares predicted cluster labels with gold labels (same length, one
// per document). A pairwise ratio with a zero denominator is 1.
func Score(gold, pred []string) Scores {
	type cell struct{ g, p string }
	nij := map[cell]int{}
	ni := map[string]int{}
	nj := map[string]int{}
	for k := range gold {
		nij[cell{gold[k], pred[k]}]++
		ni[gold[k]]++
		nj[pred[k]]++
	}
	c2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, predPairs, goldPairs, bp, br float64
	for c, n := range nij {
		tp += c2(n)
		sq := float64(n) * float64(n)
		bp += sq / float64(nj[c.p])
		br += sq / float64(ni[c.g])
	}
	for _, n := range nj {
		predPairs += c2(n)
	}
	for _, n := range ni {
		goldPairs += c2(n)
	}
	var s Scores
	s.PairwiseP, s.PairwiseR = ratio(tp, predPairs), ratio(tp, goldPairs)
	s.PairwiseF1 = f1(s.PairwiseP, s.PairwiseR)
	if n := float64(len(gold)); n > 0 {
		s.BCubedP, s.BCubedR = bp/n, br/n
	}
	s.BCubedF1 = f1(s.BCubedP, s.BCubedR)
	return s
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 1
	}
	return a / b
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
