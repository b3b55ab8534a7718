package insight

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a piece of the source text with its byte offsets.
type span struct {
	start, end int
	text       string
}

// paragraphs splits text on line breaks, dropping blank lines.
func paragraphs(text string) []span {
	var out []span
	start := 0
	for i := 0; i <= len(text); i++ {
		if i == len(text) || text[i] == '\n' {
			p := text[start:i]
			if t := strings.TrimSpace(p); t != "" {
				off := start + strings.Index(p, t)
				out = append(out, span{off, off + len(t), t})
			}
			start = i + 1
		}
	}
	return out
}

// abbreviations that end with a period but do not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "sgt": true, "lt": true, "capt": true, "col": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "st": true, "ave": true, "blvd": true, "rd": true,
	"jr": true, "sr": true, "inc": true, "co": true, "corp": true, "ltd": true, "no": true, "det": true,
	"ofc": true, "cpl": true, "maj": true, "adm": true, "rev": true, "prof": true, "dept": true, "mt": true,
	"jan": true, "feb": true, "aug": true, "sept": true, "sep": true, "oct": true, "nov": true, "dec": true,
	"mo": true, "fla": true, "calif": true, "tenn": true, "ga": true, "ala": true, "ariz": true, "ark": true,
	"colo": true, "conn": true, "del": true, "ill": true, "ind": true, "kan": true, "ky": true, "la": true,
	"md": true, "mass": true, "mich": true, "minn": true, "miss": true, "mont": true, "neb": true, "nev": true,
	"okla": true, "ore": true, "pa": true, "tex": true, "va": true, "vt": true, "wash": true, "wis": true,
	"wyo": true, "vs": true, "etc": true, "approx": true, "ft": true, "pvt": true, "supt": true, "insp": true,
}

// sentences splits a paragraph into sentences. A period, question or exclamation
// mark (optionally followed by a closing quote) ends a sentence when the next
// word starts with an upper-case letter, a digit or an opening quote, unless the
// word before is a known abbreviation or an initial.
func sentences(p span) []span {
	var out []span
	s := p.text
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != '.' && r != '?' && r != '!' && r != '…' {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if isCloseQuote(r2) || r2 == ')' || r2 == '.' || r2 == '!' || r2 == '?' {
				j += n2
				continue
			}
			break
		}
		if j >= len(s) {
			break
		}
		next, _ := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsSpace(next) {
			i = j
			continue
		}
		k := j
		for k < len(s) {
			r3, n3 := utf8.DecodeRuneInString(s[k:])
			if !unicode.IsSpace(r3) {
				break
			}
			k += n3
		}
		if k >= len(s) {
			break
		}
		nr, _ := utf8.DecodeRuneInString(s[k:])
		if !(unicode.IsUpper(nr) || unicode.IsDigit(nr) || isOpenQuote(nr) || nr == '\'' || nr == '"' || nr == '(') {
			i = j
			continue
		}
		if r == '.' && isAbbrevBefore(s[start:i]) {
			i = j
			continue
		}
		if t := strings.TrimSpace(s[start:j]); t != "" {
			off := start + strings.Index(s[start:j], t)
			out = append(out, span{p.start + off, p.start + off + len(t), t})
		}
		start = k
		i = k
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		off := start + strings.Index(s[start:], t)
		out = append(out, span{p.start + off, p.start + off + len(t), t})
	}
	return out
}

// isAbbrevBefore reports whether the text before a period ends in an abbreviation or initial.
func isAbbrevBefore(before string) bool {
	w := before
	if i := strings.LastIndexFunc(before, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || isOpenQuote(r) }); i >= 0 {
		w = before[i+1:]
		_, n := utf8.DecodeRuneInString(before[i:])
		w = before[i+n:]
	}
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(w)[0]) {
		return true // initial: "John F. Kennedy"
	}
	if strings.Contains(w, ".") {
		return true // "U.S", "a.m", "p.m"
	}
	return abbreviations[strings.ToLower(w)]
}

func isOpenQuote(r rune) bool  { return r == '“' || r == '‘' || r == '«' || r == '„' }
func isCloseQuote(r rune) bool { return r == '”' || r == '’' || r == '»' || r == '"' || r == '\'' }

// token is one word with its byte offsets inside the text it came from.
type token struct {
	start, end int
	text       string
}

// words splits s into word tokens: letters and digits joined by inner
// apostrophes, hyphens, ampersands and periods ("O'Brien", "U.S.", "F-16").
func words(s string) []token {
	out := make([]token, 0, len(s)/6+1)
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r2) {
				j += n2
				continue
			}
			if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '&' || r2 == '.' {
				if j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if isWordRune(r3) && (r2 != '.' || dotJoins(s[i:j], s[j+n2:])) {
						j += n2
						continue
					}
				}
				// keep the final period of dotted abbreviations such as "U.S."
				if r2 == '.' && strings.Contains(s[i:j], ".") {
					j += n2
				}
			}
			break
		}
		out = append(out, token{i, j, s[i:j]})
		i = j
	}
	return out
}

// dotJoins: a period inside a word joins dotted abbreviations ("U.S.", "a.m.",
// "H.H.") and domains ("kcra.com"), but not two words run together ("Dept.Police").
func dotJoins(before, after string) bool {
	seg := before
	if k := strings.LastIndexByte(seg, '.'); k >= 0 {
		seg = seg[k+1:]
	}
	if utf8.RuneCountInString(seg) <= 2 {
		return true
	}
	end := strings.IndexFunc(after, func(r rune) bool { return !isWordRune(r) })
	if end < 0 {
		end = len(after)
	}
	switch strings.ToLower(after[:end]) {
	case "com", "org", "net", "gov", "edu", "us", "tv", "co", "uk", "ca", "info", "ly", "ws", "io":
		return true
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isCap reports whether a word starts with an upper-case letter.
func isCap(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// stripPossessive removes a trailing "'s" or "’s" (or a bare trailing apostrophe).
func stripPossessive(w string) (string, bool) {
	if n := len(w); n < 3 || (w[n-1] != 's' && w[n-1] != 'S') {
		return w, false
	}
	for _, suf := range []string{"'s", "’s", "'S", "’S"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf) {
			return w[:len(w)-len(suf)], true
		}
	}
	return w, false
}

// normKey lower-cases and keeps only letters and digits, separated by single spaces.
func normKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if isWordRune(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else if r != '\'' && r != '’' && r != '.' {
			space = true
		}
	}
	return b.String()
}

// contentWords returns lower-cased words of s that are not stop words, lightly stemmed.
func contentWords(s string) []string { return contentOf(words(s)) }

// contentOf is contentWords on tokens already split.
func contentOf(toks []token) []string {
	out := make([]string, 0, len(toks)/2+1)
	for _, t := range toks {
		w := lowerASCII(t.text)
		w, _ = stripPossessive(w)
		w = strings.TrimSuffix(w, ".")
		if len(w) < 3 || stopwords[w] || isNumeric(w) {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// has reports whether the lower-cased s is in set, without allocating for
// short ASCII words (the map index with string(bytes) does not copy).
func has(set map[string]bool, s string) bool {
	var buf [48]byte
	if len(s) > len(buf) {
		return set[lowerASCII(s)]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return set[lowerASCII(s)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(s)])]
}

// lowerASCII lower-cases without allocating when s is already lower case.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// stem is a deliberately small suffix stripper: enough to join plurals and
// simple verb forms for similarity, not a linguistic stemmer.
func stem(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		return w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:len(w)-1]
	}
	return w
}

func isNumeric(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != ',' && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

var stopwords = setOf(`a about above according across after afterwards again against all almost alone along already also although always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at back be became because become becomes becoming been before beforehand behind being below beside besides between beyond both but by can cannot could did do does doing done down during each either else elsewhere enough even ever every everyone everything everywhere except few first for former formerly from further had has have having he her here hereafter hereby herein hers herself him himself his how however i if in indeed into is it its itself just last latter least less like made make many may me meanwhile might mine more moreover most mostly much must my myself namely neither never nevertheless next no nobody none nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please put rather re same see seem seemed seeming seems several she should since so some somehow someone something sometime sometimes somewhere still such than that the their theirs them themselves then thence there thereafter thereby therefore therein these they this those though through throughout thus to together too toward towards under until up upon us very via was we well were what whatever when whence whenever where whereas whereby wherever whether which while whither who whoever whole whom whose why will with within without would yet you your yours yourself yourselves said says say told tell tells added adds also would could just get got gets new one two three four five six seven eight nine ten year years day days week weeks time times mr mrs ms today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ago around including include includes reported report according people going know want still many much lot`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
