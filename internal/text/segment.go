package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the text toolkit's segmentation with byte offsets, for
// extractors that must point back into the text (quotes, entities,
// figures): paragraphs, sentences and words as written. Tokenize, above,
// is the normalising tokenizer clustering uses; the two agree on what a
// word is but this one keeps the surface form.

// EachParagraph calls f with the byte range of every non-blank line of s,
// trimmed of surrounding space.
func EachParagraph(s string, f func(start, end int)) {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\n' {
			p := s[start:i]
			if t := strings.TrimSpace(p); t != "" {
				off := start + strings.Index(p, t)
				f(off, off+len(t))
			}
			start = i + 1
		}
	}
}

// Abbreviations end with a period without ending a sentence (English
// titles, months, US states, units), lowercased without the period.
var Abbreviations = Set(`mr mrs ms dr sgt lt capt col gen gov sen rep st ave blvd rd jr sr inc co corp ltd no det
ofc cpl maj adm rev prof dept mt jan feb aug sept sep oct nov dec mo fla calif tenn ga ala ariz ark colo conn del
ill ind kan ky la md mass mich minn miss mont neb nev okla ore pa tex va vt wash wis wyo vs etc approx ft pvt supt insp`)

// EachSentence calls f with the byte range of every sentence of the
// paragraph p. A period, question or exclamation mark (optionally followed
// by a closing quote) ends a sentence when the next word starts with an
// upper-case letter, a digit or an opening quote, unless the word before is
// a known abbreviation or an initial.
func EachSentence(p string, f func(start, end int)) {
	emit := func(from, to int) {
		if t := strings.TrimSpace(p[from:to]); t != "" {
			off := from + strings.Index(p[from:to], t)
			f(off, off+len(t))
		}
	}
	start := 0
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if r != '.' && r != '?' && r != '!' && r != '…' {
			i += n
			continue
		}
		j := i + n
		for j < len(p) {
			r2, n2 := utf8.DecodeRuneInString(p[j:])
			if IsCloseQuote(r2) || r2 == ')' || r2 == '.' || r2 == '!' || r2 == '?' {
				j += n2
				continue
			}
			break
		}
		if j >= len(p) {
			break
		}
		next, _ := utf8.DecodeRuneInString(p[j:])
		if !unicode.IsSpace(next) {
			i = j
			continue
		}
		k := j
		for k < len(p) {
			r3, n3 := utf8.DecodeRuneInString(p[k:])
			if !unicode.IsSpace(r3) {
				break
			}
			k += n3
		}
		if k >= len(p) {
			break
		}
		nr, _ := utf8.DecodeRuneInString(p[k:])
		if !(unicode.IsUpper(nr) || unicode.IsDigit(nr) || IsOpenQuote(nr) || nr == '\'' || nr == '"' || nr == '(') {
			i = j
			continue
		}
		if r == '.' && AbbrevBefore(p[start:i]) {
			i = j
			continue
		}
		emit(start, j)
		start = k
		i = k
	}
	emit(start, len(p))
}

// AbbrevBefore reports whether the text before a period ends in an
// abbreviation or an initial ("John F", "U.S", "Sen").
func AbbrevBefore(before string) bool {
	w := before
	if i := strings.LastIndexFunc(before, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || IsOpenQuote(r) }); i >= 0 {
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
	return Abbreviations[strings.ToLower(w)]
}

// IsOpenQuote reports opening quotation marks that cannot close a quote.
func IsOpenQuote(r rune) bool { return r == '“' || r == '‘' || r == '«' || r == '„' }

// IsCloseQuote reports marks that may close a quotation (straight ones too).
func IsCloseQuote(r rune) bool { return r == '”' || r == '’' || r == '»' || r == '"' || r == '\'' }

// EachWord calls f with the byte range of every word of s as written:
// letters and digits joined by inner apostrophes, hyphens, ampersands and
// periods ("O'Brien", "U.S.", "F-16", "AT&T").
func EachWord(s string, f func(start, end int)) {
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
			if r2 == ',' && thousands(s[i:j], s[j+1:]) {
				j++ // "13,500" is one number
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
		f(i, j)
		i = j
	}
}

// thousands: a comma between a digit and exactly three digits groups
// thousands ("13,500", "1,250,000"), rather than separating two numbers.
func thousands(before, after string) bool {
	if before == "" || before[len(before)-1] < '0' || before[len(before)-1] > '9' || len(after) < 3 {
		return false
	}
	for k := 0; k < 3; k++ {
		if after[k] < '0' || after[k] > '9' {
			return false
		}
	}
	return len(after) == 3 || after[3] < '0' || after[3] > '9'
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

// IsCap reports whether a word starts with an upper-case letter.
func IsCap(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// StripPossessive removes a trailing "'s" or "’s" and reports whether it did.
func StripPossessive(w string) (string, bool) {
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

// NormKey lower-cases s and keeps only letters and digits, words separated
// by single spaces: a key under which two copies of a sentence are equal.
func NormKey(s string) string {
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

// LowerASCII lower-cases s, without allocating when it is already lower case.
func LowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// HasFold reports whether lower-cased s is in set, without allocating for
// short ASCII words (a map index with string(bytes) does not copy).
func HasFold(set map[string]bool, s string) bool {
	var buf [48]byte
	if len(s) > len(buf) {
		return set[LowerASCII(s)]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return set[LowerASCII(s)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(s)])]
}

// IsNumeric reports words made only of digits and number punctuation ("13,500", "2.4", "12-13").
func IsNumeric(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != ',' && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

// Set builds a set from space-separated words.
func Set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
