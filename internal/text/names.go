package text

import "strings"

// Names returns capitalised-name candidates (people, places, organisations) as
// lowercased phrases of up to four words, e.g. "cerise avenue", "bernard gillis".
// A capitalised word counts when it is not sentence-initial, or when it is
// sentence-initial but the same word also appears capitalised mid-sentence or
// never appears lower case in toks. Title-cased headlines should be tokenized
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
	midCap := map[string]bool{}
	lower := map[string]bool{}
	for _, t := range toks {
		switch {
		case t.Num:
		case t.Cap && !t.Start:
			midCap[t.Text] = true
		case !t.Cap:
			lower[t.Text] = true
		}
	}
	isName := func(t Token) bool {
		if !t.Cap || t.Num || IsStop(lang, t.Text) || len(t.Text) < 2 {
			return false
		}
		if !t.Start {
			return !lower[t.Text] || midCap[t.Text]
		}
		return midCap[t.Text] || !lower[t.Text] && t.Upper
	}
	var out [][2]int
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
		if isName(t) {
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
	return out
}
