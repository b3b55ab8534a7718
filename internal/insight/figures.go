package insight

import (
	"regexp"
	"strings"
)

// Figure is a number with what it counts, who gave it and the outlet that reported it.
type Figure struct {
	Value  string `json:"value"`
	What   string `json:"what"`
	SaidBy string `json:"said_by"`
	Outlet string `json:"outlet,omitempty"`
}

var numberRe = regexp.MustCompile(`(?i)(?:\$|\b)(?:(?:more than|fewer than|less than|about|at least|at most|nearly|up to|over|almost|roughly|around|some|an additional|another|only|just) )?(?:\$?\d[\d,]*(?:\.\d+)?(?:\s?[–-]\s?\d[\d,]*(?:\.\d+)?)?%?(?: (?:million|billion|trillion|thousand|hundred))?|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|dozens|hundreds|thousands|millions)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand|million|billion))?)\b`)

var unitStop = setOf(`a.m am p.m pm block o'clock percent year-old years-old times time`)

// figures finds attributed numbers: a figure is kept only when its sentence
// says who gave it, since the point is to show where accounts differ.
func (d *doc) figures() []Figure {
	var out []Figure
	for _, s := range d.sents {
		locs := numberRe.FindAllStringIndex(s.text, -1)
		if len(locs) == 0 {
			continue
		}
		var a attrib
		resolved := false
		for _, loc := range locs {
			value := strings.TrimSpace(s.text[loc[0]:loc[1]])
			rest := s.text[loc[1]:]
			if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, ".") && len(rest) > 1 && rest[1] != ' ' {
				continue // "20-year-old", "10:30", "3/4", "1.5"
			}
			if isYear(value) || insideQuotation(s.text, loc[0]) {
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
		lw := strings.ToLower(t.text)
		if i == 0 && (unitStop[strings.TrimSuffix(lw, ".")] || months[lw] || weekdays[lw]) {
			return ""
		}
		if lw == "and" || lw == "or" {
			if i+1 < len(toks) && !stopwords[strings.ToLower(toks[i+1].text)] && !strings.HasSuffix(toks[i+1].text, "ing") && len(parts) < 3 {
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
