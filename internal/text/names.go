package text

import "strings"

// Names returns capitalised-name candidates (people, places, organisations) as
// lowercased phrases of up to four words, e.g. "cerise avenue", "bernard gillis".
// A capitalised word counts when it is not sentence-initial, or when it is
// sentence-initial but the same word also appears capitalised mid-sentence, or
// is written in capitals (an acronym) and never in lower case. Title-cased headlines should be tokenized
// together with their body so the body can vouch for which words are names.
func Names(lang string, toks []Token) []string {
	var out []string
	for _, sp := range NameSpans(lang, toks) {
		out = append(out, strings.Join(Words(toks[sp[0]:sp[1]]), " "))
	}
	return out
}

// NameSpans is Names returning [start, end) token index ranges instead of phrases.
func NameSpans(lang string, toks []Token) [][2]int {
	var nf NameFinder
	return nf.Spans(lang, toks)
}

// NameFinder is NameSpans with scratch space reused between calls (the
// clusterer calls it for every article). Not safe for concurrent use.
type NameFinder struct {
	seen  Table[uint8]
	hs    []uint64
	spans [][2]int
}

const (
	seenMidCap = 1 << iota
	seenLower
)

// Spans is NameSpans.
func (nf *NameFinder) Spans(lang string, toks []Token) [][2]int {
	nf.hs = nf.hs[:0]
	for _, t := range toks {
		nf.hs = append(nf.hs, Hash(t.Text))
	}
	return nf.SpansOf(lang, toks, nf.hs)
}

// SpansOf is Spans for callers that already have Hash of every token's Text.
// The result is valid until the next call.
func (nf *NameFinder) SpansOf(lang string, toks []Token, hs []uint64) [][2]int {
	nf.seen.Clear()
	seen := &nf.seen
	// Only capitalised words can be names, so only they are tracked: the
	// table stays small, and lower-case tokens (most of them) only look up.
	// A 1,024-bit filter of the capitalised words spares most lower-case
	// tokens the table lookup.
	var bits [16]uint64
	for i, t := range toks {
		if t.Cap && !t.Num {
			p := seen.Ptr(hs[i])
			if !t.Start {
				*p |= seenMidCap
			}
			b := hs[i] >> 54
			bits[b>>6] |= 1 << (b & 63)
		}
	}
	for i, t := range toks {
		if !t.Cap && !t.Num {
			if b := hs[i] >> 54; bits[b>>6]&(1<<(b&63)) == 0 {
				continue
			}
			if _, ok := seen.Get(hs[i]); ok {
				*seen.Ptr(hs[i]) |= seenLower
			}
		}
	}
	isName := func(i int) bool {
		t := toks[i]
		if !t.Cap || t.Num || len(t.Text) < 2 || IsStop(lang, t.Text) || calendar[t.Text] {
			return false
		}
		f, _ := seen.Get(hs[i])
		if !t.Start {
			return f&seenLower == 0 || f&seenMidCap != 0
		}
		return f&seenMidCap != 0 || f&seenLower == 0 && t.Upper
	}
	out := nf.spans[:0]
	from := -1
	flush := func(i int) {
		if from >= 0 {
			out = append(out, [2]int{from, i})
		}
		from = -1
	}
	for i, t := range toks {
		if t.Start {
			flush(i)
		}
		if isName(i) {
			if from >= 0 && i-from == 4 {
				flush(i)
			}
			if from < 0 {
				from = i
			}
			continue
		}
		flush(i)
	}
	flush(len(toks))
	nf.spans = out
	return out
}

// calendar words are capitalised in English without naming anyone or anywhere.
var calendar = set("monday tuesday wednesday thursday friday saturday sunday january february march april " +
	"may june july august september october november december mon tue wed thu fri sat sun jan feb mar apr jun jul aug " +
	"sep sept oct nov dec")

// IsRoleWord reports words that make a capitalised name an office, an
// institution or a medium rather than a person or a street ("Chief", "Sgt",
// "Hospital", "County", "News", "TV"): such names recur across unrelated
// events in one place, so they cannot identify an event. English only.
func IsRoleWord(lang, w string) bool {
	if lang != "en" && lang != "" {
		return false
	}
	return roleWords[w]
}

var roleWords = set("chief sgt sergeant lt lieutenant capt captain officer officers detective det deputy sheriff " +
	"police mayor gov governor sen senator rep president superintendent commissioner supt judge attorney " +
	"prosecutor coroner spokesman spokeswoman spokesperson director agent trooper cpl corporal " +
	"department dept county city state university college school schools hospital medical memorial center " +
	"centre health care trauma clinic church news tv radio inc press service chronicle times post tribune " +
	"journal herald daily fire court district office bureau division unit task force patrol highway " +
	"weather sports photo photos staff associated copyright rights reserved")
