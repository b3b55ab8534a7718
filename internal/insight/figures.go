package insight

import (
	"strings"
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

// numberAt reports whether toks[i] starts a number and returns the byte range of
// the value in s (qualifier, range and magnitude included) and the next token index.
func numberAt(s string, toks []token, i int) (start, end, next int, ok bool) {
	t := toks[i]
	if !startsDigit(t.text) && !has(numberWords, t.text) {
		return 0, 0, 0, false
	}
	start, end, next = t.start, t.end, i+1
	if start > 0 && s[start-1] == '$' {
		start--
	}
	if end < len(s) && s[end] == '%' {
		end++
	}
	// "12–13", "12-13": words() keeps "12-13" whole; an en dash splits it
	if next < len(toks) && startsDigit(toks[next].text) && strings.TrimSpace(s[end:toks[next].start]) == "–" {
		end, next = toks[next].end, next+1
	}
	if next < len(toks) && has(magnitudes, toks[next].text) && s[end:toks[next].start] == " " {
		end, next = toks[next].end, next+1
	}
	before := lowerASCII(s[max(0, start-16):start])
	for _, q := range qualifiers {
		if strings.HasSuffix(before, q+" ") {
			start -= len(q) + 1
			break
		}
	}
	return start, end, next, true
}

var unitStop = setOf(`a.m am p.m pm block o'clock percent year-old years-old times time`)

// figures finds attributed numbers: a figure is kept only when its sentence
// says who gave it, since the point is to show where accounts differ.
func (d *doc) figures() []Figure {
	var out []Figure
	for si, s := range d.sents {
		toks := d.sentToks[si]
		var a attrib
		resolved := false
		for i := 0; i < len(toks); i++ {
			vs, ve, next, ok := numberAt(s.text, toks, i)
			if !ok {
				continue
			}
			i = next - 1
			value := strings.TrimSpace(s.text[vs:ve])
			rest := s.text[ve:]
			if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, ".") && len(rest) > 1 && rest[1] != ' ' {
				continue // "20-year-old", "10:30", "3/4", "1.5"
			}
			if strings.Contains(toks[i].text, ":") || lowerHyphenSuffix(toks[i].text) || isYear(value) || insideQuotation(s.text, vs) {
				continue
			}
			what := countedThing(rest)
			if what == "" {
				continue
			}
			if !resolved {
				a = d.beforeAttribution(s.start, s.end, nil)
				resolved = true
			}
			if !a.found || (a.name == "" && a.desc == "") {
				break
			}
			by := a.name
			if by == "" {
				by = a.desc
			}
			if strings.Contains(by, value) {
				continue // the number is part of who spoke: "Ten officials confirmed"
			}
			out = append(out, Figure{Value: value, What: what, SaidBy: by})
		}
	}
	return out
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
		if stopwords[lw] && !(lw == "people" || lw == "years" || lw == "days" || lw == "weeks") || isNumeric(lw) || len(parts) >= 4 {
			break
		}
		parts = append(parts, t.text)
	}
	for len(parts) > 0 && (parts[len(parts)-1] == "and" || parts[len(parts)-1] == "or") {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, " ")
}
