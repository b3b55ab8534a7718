// Package extraction scores article-body extraction the way the Zyte (ScrapingHub)
// article-extraction-benchmark does, and runs the production extractor over its pages.
package extraction

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shingleSize is the word n-gram length the benchmark compares.
const shingleSize = 4

// Counts holds one document's shingle matches. After Normalize they are
// fractions of TP+FP+FN, so every document weighs the same.
type Counts struct {
	TP, FP, FN float64
}

// Precision follows the benchmark's special cases: a perfect match (no FP, no FN)
// is 1, a prediction that shares nothing and adds nothing is 0.
func (c Counts) Precision() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FP == 0:
		return 0
	}
	return c.TP / (c.TP + c.FP)
}

// Recall mirrors Precision with FN in place of FP.
func (c Counts) Recall() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FN == 0:
		return 0
	}
	return c.TP / (c.TP + c.FN)
}

// Tokens returns the matches of the Unicode regex `\w+` (Python semantics:
// letters, numbers and underscore), case kept, punctuation and spaces dropped.
func Tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if isWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Shingles counts the word 4-grams of tokens. Fewer than four tokens make one
// shorter shingle of all of them; no tokens make none.
func Shingles(tokens []string) map[string]int {
	m := make(map[string]int)
	if len(tokens) == 0 {
		return m
	}
	if len(tokens) < shingleSize {
		m[strings.Join(tokens, "\x00")]++
		return m
	}
	for i := 0; i+shingleSize <= len(tokens); i++ {
		m[strings.Join(tokens[i:i+shingleSize], "\x00")]++
	}
	return m
}

// Compare counts the shingle matches of a predicted text against the true text
// and normalizes them by their sum.
func Compare(truth, pred string) Counts {
	t := Shingles(Tokens(truth))
	p := Shingles(Tokens(pred))
	var c Counts
	for s, tn := range t {
		pn := p[s]
		c.TP += float64(min(tn, pn))
		c.FN += float64(max(0, tn-pn))
		c.FP += float64(max(0, pn-tn))
	}
	for s, pn := range p {
		if _, ok := t[s]; !ok {
			c.FP += float64(pn)
		}
	}
	if sum := c.TP + c.FP + c.FN; sum > 0 {
		c.TP /= sum
		c.FP /= sum
		c.FN /= sum
	}
	return c
}

// Exact reports whether two texts have the same token list, the benchmark's accuracy test.
func Exact(truth, pred string) bool {
	a, b := Tokens(truth), Tokens(pred)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Scores are the corpus-level numbers.
type Scores struct {
	Precision, Recall, F1, Accuracy float64
}

// Pair is one document's true and predicted article body.
type Pair struct {
	Truth, Pred string
}

// Score computes corpus scores: precision is the mean over documents with
// TP+FP > 0, recall the mean over documents with TP+FN > 0, F1 comes from those
// two means (not a mean of per-document F1), accuracy is the share of exact token matches.
func Score(pairs []Pair) Scores {
	var sumP, sumR float64
	var nP, nR, exact int
	for _, p := range pairs {
		c := Compare(p.Truth, p.Pred)
		if c.TP+c.FP > 0 {
			sumP += c.Precision()
			nP++
		}
		if c.TP+c.FN > 0 {
			sumR += c.Recall()
			nR++
		}
		if Exact(p.Truth, p.Pred) {
			exact++
		}
	}
	var s Scores
	if nP > 0 {
		s.Precision = sumP / float64(nP)
	}
	if nR > 0 {
		s.Recall = sumR / float64(nR)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	if len(pairs) > 0 {
		s.Accuracy = float64(exact) / float64(len(pairs))
	}
	return s
}
