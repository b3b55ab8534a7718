package sqlstore

import (
	"strings"
	"unicode"
)

// maxTerms bounds the work one query can ask for.
const maxTerms = 16

// Terms splits user text into search words: runs of letters and digits,
// lower-cased, at most 16. Everything else (quotes, operators, column
// filters) is dropped, so no input can be a syntax error.
func Terms(q string) []string {
	f := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
	})
	if len(f) > maxTerms {
		f = f[:maxTerms]
	}
	return f
}

// RecencyHalfLife is how much a match's age lowers its rank: a match this
// many days old counts half as much as a fresh one of equal relevance.
const RecencyHalfLife = 7.0

// MaxRanked bounds the matches one search ranks: when a query matches more
// articles, only the newest MaxRanked (by id, that is by arrival) compete.
// Ranking cost grows with every match, while recency already pushes older
// matches down; this keeps common words as fast as rare ones.
const MaxRanked = 2000
