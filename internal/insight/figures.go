package insight

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Figure is a number with what it counts, who gave it and the outlet that reported it.
type Figure struct {
	Value  string `json:"value"`
	What   string `json:"what"`
	SaidBy string `json:"said_by"`
	Outlet string `json:"outlet,omitempty"`
}

var numberWords = setOf(`two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen dozens hundreds thousands millions`)

var magnitudes = setOf(`hundred thousand million billion trillion`)

// qualifiers that belong to a figure ("more than 700", "an additional 10").
var qualifiers = []string{"more than", "fewer than", "less than", "at least", "at most", "up to", "an additional",
	"about", "nearly", "over", "almost", "roughly", "around", "some", "another", "only", "just"}

// currencies written before an amount.
var currencies = []string{"US$", "$", "€", "£", "¥", "₹"}

// numberAt reports whether toks[i] starts a number and returns the byte range of
// the value in s (qualifier, currency, range, magnitude and percent included),
// the next token index and whether the value is an amount or a share (which
// may say what they measure with "of", "in" or "for").
func numberAt(s string, toks []token, i int) (start, end, next int, measure, ok bool) {
	t := toks[i]
	if !numberRe.MatchString(t.text) && !has(numberWords, t.text) {
		return 0, 0, 0, false, false // "135th", "480-WITNESS", "713-308-3600", "9mm" label or contact, not count
	}
	start, end, next = t.start, t.end, i+1
	for _, c := range currencies {
		if strings.HasSuffix(s[:start], c) {
			start -= len(c)
			measure = true
			break
		}
	}
	// "12–13", "12-13": words() keeps "12-13" whole; an en dash or "to" joins a range
	if next+1 < len(toks) && startsDigit(toks[next].text) && strings.TrimSpace(s[end:toks[next].start]) == "–" {
		end, next = toks[next].end, next+1
	}
	if next < len(toks) && has(magnitudes, toks[next].text) && s[end:toks[next].start] == " " {
		end, next = toks[next].end, next+1
	}
	switch {
	case end < len(s) && s[end] == '%':
		end++
		measure = true
	case next < len(toks) && s[end:toks[next].start] == " " && (lowerASCII(toks[next].text) == "percent" || lowerASCII(toks[next].text) == "percentage"):
		end, next = toks[next].end, next+1
		measure = true
		if next < len(toks) && lowerASCII(toks[next-1].text) == "percentage" && lowerASCII(toks[next].text) == "points" {
			end, next = toks[next].end, next+1
		}
	case next+1 < len(toks) && lowerASCII(toks[next].text) == "per" && lowerASCII(toks[next+1].text) == "cent":
		end, next = toks[next+1].end, next+2
		measure = true
	}
	before := lowerASCII(s[max(0, start-16):start])
	for _, q := range qualifiers {
		if strings.HasSuffix(before, q+" ") {
			start -= len(q) + 1
			break
		}
	}
	return start, end, next, measure, true
}

// numberRe is a number as written: digits with thousands separators and a
// decimal part ("13,500", "2.4"), or a range of two ("12-13").
var numberRe = regexp.MustCompile(`^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[-–]\d+(?:\.\d+)?)?$`)

// unitStop words after a number make it a time, place, size or rate, not a count.
var unitStop = setOf(`a.m am p.m pm block blocks o'clock year-old years-old times time of mm cm km m ft feet foot inch
inches yards meters metres miles mph kph pounds lbs lb kg grams ounces degrees caliber calibre`)

// furnitureRe matches photo-gallery and caption residue glued into text by
// extraction ("Image 2 of 14", "Caption Close", "Photo: …", "Getty Images").
var furnitureRe = regexp.MustCompile(`(?i)\b(?:image|photo|picture|slide|video)s?\s+\d+\s+(?:of|/)\s+\d+\b|\b(?:hide|toggle|show|expand)\s+caption\b|\bcaption\s+close\b|\bclose\s+caption\b|\bgetty\s+images\b|\b(?:ap|afp|reuters)\s+photo\b|\bphoto(?:graph)?\s*(?:by|:|credit)|\bpro\s+video\b|\benlarge\s+this\s+image\b|\bback\s+to\s+gallery\b`)

// furnitureHints are words every furnitureRe match holds: most sentences
// hold none, and a substring test is far cheaper than the expression.
var furnitureHints = []string{"image", "photo", "picture", "slide", "video", "caption", "getty", "enlarge", "gallery"}

// hasFurniture reports page furniture inside a sentence.
func hasFurniture(s string) bool {
	for _, h := range furnitureHints {
		if containsFoldASCII(s, h) {
			return furnitureRe.MatchString(s)
		}
	}
	return false
}

// containsFoldASCII reports whether s contains the lower-case ASCII word
// h in any case, without allocating.
func containsFoldASCII(s, h string) bool {
	first := h[0]
	for i := 0; i+len(h) <= len(s); i++ {
		if s[i]|0x20 != first {
			continue
		}
		j := 1
		for j < len(h) && s[i+j]|0x20 == h[j] {
			j++
		}
		if j == len(h) {
			return true
		}
	}
	return false
}

// countedEnds are participles and adjectives that name what a count counts
// when they close it ("10 injured", "three missing"); other -ed and -ing
// words are verbs ("000 expected") and are not a counted thing.
var countedEnds = setOf(`injured wounded killed dead arrested displaced missing hospitalized hospitalised evacuated
detained charged infected vaccinated confirmed employed unemployed`)

// figures finds attributed numbers: a figure is kept only when it is a
// complete value, names what it counts, and its sentence names who gave it
// (a pronoun resolved from elsewhere is not enough): the point is to show
// where accounts differ, so an unsourced or garbled figure is worse than none.
func (d *doc) figures() []Figure {
	var out []Figure
	for si, s := range d.sents {
		if hasFurniture(s.text) {
			continue
		}
		toks := d.sentToks[si]
		var a attrib
		resolved := false
		for i := 0; i < len(toks); i++ {
			vs, ve, next, measure, ok := numberAt(s.text, toks, i)
			if !ok {
				continue
			}
			first := i
			i = next - 1
			value := strings.TrimSpace(s.text[vs:ve])
			rest := s.text[ve:]
			if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "/") ||
				strings.HasPrefix(rest, ",") && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9' {
				continue // "20-year-old", "10:30", "3/4", "1,2"
			}
			if value == "911" || strings.Contains(toks[first].text, ":") || lowerHyphenSuffix(toks[first].text) || isYear(value) ||
				insideQuotation(s.text, vs) || partOfName(s.text, toks, first) {
				continue
			}
			if measure {
				rest = skipMeasurePrep(rest)
			}
			what := countedThing(rest)
			if !countable(what) {
				continue
			}
			if vs > 0 && s.text[vs-1] == '.' {
				continue // ".38 special": a calibre
			}
			if after := strings.TrimPrefix(rest, " "+what); strings.HasPrefix(after, " old") || strings.HasPrefix(after, "-old") {
				continue // "19 years old": an age
			}
			if !resolved {
				a = d.beforeAttribution(s.start, s.end, nil)
				resolved = true
			}
			by := a.name
			if by == "" {
				by = a.desc
			}
			if !a.found || !cleanSource(by) || !namedIn(s.text, by) {
				break
			}
			if strings.Contains(by, value) {
				continue // the number is part of who spoke: "Ten officials confirmed"
			}
			out = append(out, Figure{Value: value, What: what, SaidBy: by})
		}
	}
	return out
}

// partOfName: a number that labels rather than counts ("Route 66", "Jan. 6",
// "Image 2 of 14", "No. 3").
func partOfName(s string, toks []token, i int) bool {
	if i > 0 {
		prev := lowerASCII(strings.TrimSuffix(toks[i-1].text, "."))
		gap := s[toks[i-1].end:toks[i].start]
		if (gap == " " || gap == ". ") && (months[prev] || prev == "no" || prev == "number" || prev == "route" ||
			prev == "highway" || prev == "interstate" || prev == "page" || prev == "image" || prev == "photo" ||
			prev == "chapter" || prev == "section" || prev == "article" || prev == "room" || prev == "game" || prev == "week") {
			return true
		}
	}
	// "2 of 14": a position in a sequence (either number)
	return i+2 < len(toks) && lowerASCII(toks[i+1].text) == "of" && startsDigit(toks[i+2].text) ||
		i >= 2 && lowerASCII(toks[i-1].text) == "of" && startsDigit(toks[i-2].text)
}

// skipMeasurePrep drops "of", "in", "for" after an amount or share, which
// then names what it measures ("$2 billion in aid", "40 percent of voters").
func skipMeasurePrep(rest string) string {
	for _, p := range []string{" of the ", " of ", " in ", " for "} {
		if strings.HasPrefix(rest, p) {
			return " " + rest[len(p):]
		}
	}
	return rest
}

// countable: what a figure counts ends in a noun-like word, not a verb
// ("expected") or a bare adverb.
func countable(what string) bool {
	if what == "" {
		return false
	}
	last := lowerASCII(lastWord(what))
	if countedEnds[last] || last == "people" || last == "years" || last == "days" || last == "weeks" {
		return true
	}
	if len(last) < 3 || stopwords[last] || notNouns[last] || last == "old" || last == "tall" || last == "long" || last == "away" {
		return false
	}
	if strings.HasSuffix(last, "ed") || strings.HasSuffix(last, "ly") {
		return false
	}
	if strings.HasSuffix(last, "ing") && !strings.HasSuffix(last, "ings") {
		// "10 shootings" counts; "10 following" does not. A few -ing nouns are common counts.
		switch last {
		case "building", "wedding", "meeting", "hearing", "shooting", "bombing", "stabbing", "sibling", "offering", "filing":
			return true
		}
		return false
	}
	return true
}

// sourceNouns are the descriptions that can give a figure without a name.
var sourceNouns = setOf(`police officials official authorities investigators detectives prosecutors witnesses
spokesman spokeswoman spokesperson agency department office ministry government statement report reports
affidavit records documents data survey poll study census sheriff coroner company officers deputies
organizers organisers researchers analysts economists experts firefighters doctors hospital court
foundation council board union group committee commission institute bank firm campaign team league`)

// sourceGlue are the lower-case words a source's name or description may hold.
var sourceGlue = setOf(`the a an of for and at in on to de da del von van`)

// cleanSource: who gave a figure is a name or a description ending in a
// source noun ("the transit agency", "Dana Reyes"), short, without numbers,
// page furniture or clause residue ("were hospitalized … that authorities",
// "Anyone with information in this case is", "21 Pro Video Image 2 of 14 Police").
func cleanSource(by string) bool {
	if by == "" || strings.IndexFunc(by, unicode.IsDigit) >= 0 || hasFurniture(by) {
		return false
	}
	f := strings.Fields(by)
	if len(f) > 8 {
		return false
	}
	for i, w := range f {
		w = strings.Trim(w, ".,")
		lw := lowerASCII(w)
		if furniture[lw] {
			return false
		}
		last := i == len(f)-1
		switch {
		case last && sourceNouns[lw]:
		case last && stopwords[lw]:
			return false // "An", "is", "or"
		case isCap(w):
		case sourceGlue[lw] && !last:
		case !stopwords[lw] && !last && !strings.HasSuffix(lw, "ed") && (!commonWords[lw] || sourceNouns[lw]):
			// a modifier: "election officials", "transit agency"
		default:
			return false
		}
	}
	if w := lowerASCII(strings.Trim(f[0], ".,")); len(f) == 1 && commonWords[w] && !sourceNouns[w] {
		return false // "Man", "Officials" capitalised at a sentence start
	}
	lastW := lowerASCII(strings.Trim(f[len(f)-1], ".,"))
	return isCap(f[len(f)-1]) || sourceNouns[lastW] || sourceNouns[strings.TrimSuffix(lastW, "s")]
}

// namedIn: the source is written in the sentence itself (its full name, its
// last word, or its description), not resolved from a pronoun elsewhere.
func namedIn(sentence, by string) bool {
	if strings.Contains(sentence, by) {
		return true
	}
	last := lastWord(by)
	if utf8.RuneCountInString(last) < 3 {
		return false
	}
	for _, t := range words(sentence) {
		if w, _ := stripPossessive(t.text); w == last {
			return true
		}
	}
	return false
}

// plural: a regular plural noun ("adults", "batteries") or a common
// irregular one; "bus", "glass", "crisis" are not.
func plural(w string) bool {
	switch w {
	case "people", "children", "men", "women", "police", "cattle", "feet", "teeth", "mice", "geese":
		return true
	}
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") &&
		!strings.HasSuffix(w, "is") && !strings.HasSuffix(w, "'s")
}

func isYear(v string) bool {
	if len(v) != 4 || !isNumeric(v) {
		return false
	}
	return v >= "1800" && v <= "2100"
}

// insideQuotation: an odd number of double marks before the position.
func insideQuotation(s string, pos int) bool {
	n := strings.Count(s[:pos], "\"") + strings.Count(s[:pos], "“") - strings.Count(s[:pos], "”")
	return n%2 == 1
}

// countedThing returns up to four words after a number naming what it counts,
// stopping at punctuation or a function word ("12–13 Patriot batteries, though" -> "Patriot batteries").
func countedThing(rest string) string {
	if rest == "" || rest[0] != ' ' {
		return ""
	}
	toks := words(rest)
	var parts []string
	for i, t := range toks {
		if i > 0 && strings.ContainsAny(rest[toks[i-1].end:t.start], ",;:()—–.!?\"“”") {
			break
		}
		if i == 0 && strings.TrimSpace(rest[:t.start]) != "" {
			return ""
		}
		lw := lowerASCII(t.text)
		if i == 0 && (unitStop[strings.TrimSuffix(lw, ".")] || months[lw] || weekdays[lw]) {
			return ""
		}
		if lw == "and" || lw == "or" {
			if i+1 < len(toks) && !has(stopwords, toks[i+1].text) && !strings.HasSuffix(toks[i+1].text, "ing") && len(parts) < 3 {
				parts = append(parts, lw)
				continue
			}
			break
		}
		if len(parts) > 0 && strings.HasSuffix(lw, "ed") && !countedEnds[lw] {
			break // a verb: "40% of voters backed"
		}
		if stopwords[lw] && !(lw == "people" || lw == "years" || lw == "days" || lw == "weeks") || isNumeric(lw) || len(parts) >= 4 {
			break
		}
		parts = append(parts, t.text)
		// the counted noun is the head of the phrase: after a plural, what
		// follows (other than "and"/"or") is the clause ("adults receive")
		if plural(lw) && i+1 < len(toks) {
			if nx := lowerASCII(toks[i+1].text); nx != "and" && nx != "or" {
				break
			}
		}
	}
	if len(parts) > 0 && (parts[0] == "and" || parts[0] == "or") {
		return "" // "a mother of seven and grandmother"
	}
	for len(parts) > 0 && (parts[len(parts)-1] == "and" || parts[len(parts)-1] == "or") {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, " ")
}
