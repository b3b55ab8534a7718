// Package text holds the language analysis shared by syndication detection and
// story clustering: tokens, stop words, stems, capitalised-name candidates,
// shingles and SimHash. It is pure (no I/O) and allocation-conscious because the
// clusterer runs it on every incoming article.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word or number of a text.
type Token struct {
	Text  string // lowercased form
	Cap   bool   // first letter was upper case in the source
	Upper bool   // every letter was upper case (and there were at least two)
	Start bool   // first word of a sentence, so Cap says little
	Num   bool   // contains a digit
}

// Tokenize splits s into words and numbers. Possessive 's and elided French/
// Italian articles (l', d') are dropped, numbers keep inner separators
// ("13,500" -> "13500", "2.4" stays "2.4"), hyphenated words split.
func Tokenize(s string) []Token {
	return AppendTokens(make([]Token, 0, len(s)/6+4), s)
}

// AppendTokens is Tokenize appending to dst, so callers can reuse a buffer.
// Token texts are substrings of one lowercased copy of s, so most tokens cost
// no allocation.
func AppendTokens(dst []Token, s string) []Token {
	return AppendTokensLower(dst, s, strings.ToLower(s))
}

// AppendTokensLower is AppendTokens for callers that already have lower,
// strings.ToLower(s) (for instance a slice of a whole lowercased document).
func AppendTokensLower(dst []Token, s, lower string) []Token {
	aligned := len(lower) == len(s) // byte offsets of s and lower agree
	lowerOf := func(i, j int) string {
		if aligned {
			return lower[i:j]
		}
		return strings.ToLower(s[i:j])
	}
	start := true // at a sentence boundary
	i := 0
	for i < len(s) {
		c := s[i]
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if c < utf8.RuneSelf && !asciiWord[c] || c >= utf8.RuneSelf && !isWordRune(r) {
			switch r {
			case '.', '!', '?', '\n', ':', ';', '"', '“', '”', '—', '–', '(', '|', '[':
				if r == '.' && len(dst) > 0 && isAbbrev(dst[len(dst)-1].Text) {
					break
				}
				start = true
			}
			i += size
			continue
		}
		// Fast path: the run of plain ASCII letters and digits that starts
		// most words, classified by table; the loop below takes over at the
		// first other character.
		j := i
		var cls uint8
		for j < len(s) {
			k := asciiClass[s[j]]
			if k == 0 {
				break
			}
			cls |= k
			j++
		}
		letters := j - i
		if cls&clsDigit != 0 {
			letters = 0
			for _, c := range []byte(s[i:j]) {
				if asciiClass[c]&clsDigit == 0 {
					letters++
				}
			}
		}
		hasDigit, hasLower, hasUpper := cls&clsDigit != 0, cls&clsLower != 0, cls&clsUpper != 0
		var b strings.Builder // only for tokens that are not a plain substring
		useB := false
		elided := false
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				switch {
				case 'a' <= c && c <= 'z':
					letters++
					hasLower = true
					if useB {
						b.WriteByte(c)
					}
					j++
					continue
				case 'A' <= c && c <= 'Z':
					letters++
					hasUpper = true
					if useB {
						b.WriteByte(c + 'a' - 'A')
					}
					j++
					continue
				case '0' <= c && c <= '9':
					hasDigit = true
					if useB {
						b.WriteByte(c)
					}
					j++
					continue
				}
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			switch {
			case unicode.IsLetter(r):
				letters++
				if unicode.IsUpper(r) {
					hasUpper = true
				} else {
					hasLower = true
				}
				if useB {
					b.WriteRune(unicode.ToLower(r))
				}
				j += size
				continue
			case unicode.IsDigit(r):
				hasDigit = true
				if useB {
					b.WriteRune(r)
				}
				j += size
				continue
			case r == '\'' || r == '’':
				// apostrophe inside a word
				next, nsize := utf8.DecodeRuneInString(s[j+size:])
				if !unicode.IsLetter(next) {
					break
				}
				if (next == 's' || next == 'S') && !isWordRune(peek(s, j+size+nsize)) {
					// possessive: drop 's, end the word here
					w := lowerOf(i, j)
					if useB {
						w = b.String()
					}
					dst = appendToken(dst, w, s[i:], hasDigit, hasLower, hasUpper, letters, start)
					start = false
					i = j + size + nsize
					elided = true
				} else if j-i <= 2 && !hasDigit && !strings.EqualFold(s[i:j], "o") {
					// l'homme, d'Italia, qu'il (short prefix) -> drop prefix
					i = j + size
					j = i
					hasLower, hasUpper, letters = false, false, 0
					b.Reset()
					useB = false
					continue
				} else {
					// O'Brien -> obrien: keep as one word without the apostrophe
					if !useB {
						useB = true
						b.WriteString(lowerOf(i, j))
					}
					j += size
					continue
				}
			case (r == '.' || r == ',') && hasDigit && !hasLower && !hasUpper:
				if next := peek(s, j+size); next >= '0' && next <= '9' {
					if !useB {
						useB = true
						b.WriteString(lowerOf(i, j))
					}
					if r == '.' {
						b.WriteByte('.')
					}
					j += size
					continue
				}
			}
			break
		}
		if elided {
			continue
		}
		w := b.String()
		if !useB {
			w = lowerOf(i, j)
		}
		dst = appendToken(dst, w, s[i:], hasDigit, hasLower, hasUpper, letters, start)
		start = false
		i = j
	}
	return dst
}

func peek(s string, i int) rune {
	if i >= len(s) {
		return ' '
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// appendToken appends the token w whose source text starts src. It fills the
// new element in place: building a Token value and copying it stalls on
// store forwarding (byte-wide writes read back as one wide load).
func appendToken(dst []Token, w, src string, digit, lower, upper bool, letters int, start bool) []Token {
	var capital bool
	if c := src[0]; c < utf8.RuneSelf {
		capital = 'A' <= c && c <= 'Z'
	} else {
		first, _ := utf8.DecodeRuneInString(src)
		capital = unicode.IsUpper(first)
	}
	dst = append(dst, Token{})
	t := &dst[len(dst)-1]
	t.Text = w
	t.Cap = capital
	t.Upper = upper && !lower && letters >= 2
	t.Start = start
	t.Num = digit
	return dst
}

const (
	clsLower = 1 << iota
	clsUpper
	clsDigit
)

// asciiClass classifies the ASCII letters and digits (0 for every other byte,
// including the first bytes of multi-byte characters).
var asciiClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = clsLower
		case 'A' <= c && c <= 'Z':
			t[c] = clsUpper
		case '0' <= c && c <= '9':
			t[c] = clsDigit
		}
	}
	return t
}()

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// IsWordRune reports letters and digits, the runes words are made of.
func IsWordRune(r rune) bool { return isWordRune(r) }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isAbbrev reports titles and initials after which a full stop does not end a sentence.
func isAbbrev(w string) bool {
	if utf8.RuneCountInString(w) == 1 {
		return true
	}
	switch w {
	case "mr", "mrs", "ms", "dr", "st", "sgt", "lt", "capt", "det", "gov", "sen", "rep",
		"jr", "sr", "ave", "mt", "no", "vs", "gen", "col", "insp", "prof", "rev", "ft":
		return true
	}
	return false
}

// Words returns the lowercased texts of toks.
func Words(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}
