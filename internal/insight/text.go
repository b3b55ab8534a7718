package insight

import (
	"sync"

	"github.com/dateline-news/dateline/internal/text"
)

// The extractors' words for internal/text's toolkit: segmentation with
// byte offsets, stop words, stems. Only the types live here, so the
// extractors keep their own small structs; every rule is in internal/text.

// span is a piece of the source text with its byte offsets.
type span struct {
	start, end int
	text       string
}

// token is one word with its byte offsets inside the text it came from.
type token struct {
	start, end int
	text       string
}

// paragraphs splits text on line breaks, dropping blank lines.
func paragraphs(s string) []span {
	var out []span
	text.EachParagraph(s, func(i, j int) { out = append(out, span{i, j, s[i:j]}) })
	return out
}

// sentences splits a paragraph into sentences (offsets in the whole text).
func sentences(p span) []span {
	var out []span
	text.EachSentence(p.text, func(i, j int) { out = append(out, span{p.start + i, p.start + j, p.text[i:j]}) })
	return out
}

// words splits s into word tokens as written ("O'Brien", "U.S.", "F-16").
func words(s string) []token {
	out := make([]token, 0, len(s)/6+1)
	text.EachWord(s, func(i, j int) { out = append(out, token{i, j, s[i:j]}) })
	return out
}

func isAbbrevBefore(before string) bool       { return text.AbbrevBefore(before) }
func isOpenQuote(r rune) bool                 { return text.IsOpenQuote(r) }
func isCloseQuote(r rune) bool                { return text.IsCloseQuote(r) }
func isWordRune(r rune) bool                  { return text.IsWordRune(r) }
func isCap(w string) bool                     { return text.IsCap(w) }
func stripPossessive(w string) (string, bool) { return text.StripPossessive(w) }
func normKey(s string) string                 { return text.NormKey(s) }
func lowerASCII(s string) string              { return text.LowerASCII(s) }
func has(set map[string]bool, s string) bool  { return text.HasFold(set, s) }
func isNumeric(w string) bool                 { return text.IsNumeric(w) }
func setOf(s string) map[string]bool          { return text.Set(s) }

// abbreviations end with a period but do not end a sentence.
var abbreviations = text.Abbreviations

// stopwords is the English news stop list (internal/text.NewsStopEN).
var stopwords = text.NewsStopEN

// stemmers memoise snowball stems across calls; each is used by one
// goroutine at a time.
var stemmers = sync.Pool{New: func() any { return text.NewStemmer(1 << 14) }}

// stem is the English snowball stem (internal/text.Stem).
func stem(w string) string {
	s := stemmers.Get().(*text.Stemmer)
	v := s.Stem("en", w)
	stemmers.Put(s)
	return v
}

// contentWords returns the stems of the words of s that carry content (English).
func contentWords(s string) []string { return contentOf(words(s)) }

// contentOf is contentWords on tokens already split (English).
func contentOf(toks []token) []string { return contentIn("en", toks) }

// contentIn returns the stems of the content words among toks in lang:
// lower-cased, possessive dropped, no stop words, numbers or words under
// three letters.
func contentIn(lang string, toks []token) []string {
	lang = text.BaseLang(lang)
	out := make([]string, 0, len(toks)/2+1)
	st := stemmers.Get().(*text.Stemmer)
	defer stemmers.Put(st)
	for _, t := range toks {
		w := lowerASCII(t.text)
		w, _ = stripPossessive(w)
		if len(w) > 0 && w[len(w)-1] == '.' {
			w = w[:len(w)-1]
		}
		if len(w) < 3 || text.IsNewsStop(lang, w) || isNumeric(w) {
			continue
		}
		out = append(out, st.Stem(lang, w))
	}
	return out
}
