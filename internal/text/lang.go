package text

import (
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// extraStop holds stop words for languages snowball has no list for, plus
// news boilerplate for English that carries no event information.
var extraStop = map[string]map[string]bool{
	"en": set("said says say told also would could may might one two new like get got just year years " +
		"according including can will mr mrs ms per via its it's us yet still since around"),
	"fr": set("les a plus cette cet selon après avant aussi fait dit"),
	"es": set("según tras ha han dijo"),
	"de": set("der die das und ist nicht ein eine einer eines einem einen zu den dem des mit sich auf für von im in " +
		"als auch es an er sie wir ihr ich du hat haben wird werden war sind bei aus nach um über so wie oder " +
		"aber noch nur vor bis durch am zum zur dass man kann sein seine ihre dieser diese dieses mehr"),
	"it": set("il lo la i gli le un uno una di a da in con su per tra fra e o ma che non è del della dei delle " +
		"al alla ai alle dal dalla nel nella sul sulla si come anche più sono ha hanno questo questa"),
	"pt": set("o a os as um uma de do da dos das em no na nos nas por para com e ou que não é se ao aos " +
		"mais como mas foi são ser tem pelo pela seu sua"),
	"nl": set("de het een en van in is op te dat die voor met zijn niet aan er om ook als bij door maar " +
		"naar dan nog wel uit over wordt worden werd hij zij ze wij we ik je"),
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	start := -1
	for i := 0; i <= len(words); i++ {
		if i == len(words) || words[i] == ' ' {
			if start >= 0 {
				m[words[start:i]] = true
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return m
}

var extraEN, extraFR, extraES = extraStop["en"], extraStop["fr"], extraStop["es"]

// IsStop reports whether the lowercased word w is a stop word in lang (ISO 639-1).
// Unknown languages have no stop words.
func IsStop(lang, w string) bool {
	switch lang {
	case "en", "":
		return english.IsStopWord(w) || extraEN[w]
	case "fr":
		return french.IsStopWord(w) || extraFR[w]
	case "es":
		return spanish.IsStopWord(w) || extraES[w]
	case "ru":
		return russian.IsStopWord(w)
	case "sv":
		return swedish.IsStopWord(w)
	case "no", "nb", "nn":
		return norwegian.IsStopWord(w)
	case "hu":
		return hungarian.IsStopWord(w)
	}
	return extraStop[lang][w]
}

// Stem returns the snowball stem of the lowercased word w in lang; languages
// without a stemmer get w back unchanged. Numbers are never stemmed.
func Stem(lang, w string) string {
	if len(w) < 4 || w[0] >= '0' && w[0] <= '9' {
		return w
	}
	switch lang {
	case "en", "":
		return english.Stem(w, true)
	case "fr":
		return french.Stem(w, true)
	case "es":
		return spanish.Stem(w, true)
	case "ru":
		return russian.Stem(w, true)
	case "sv":
		return swedish.Stem(w, true)
	case "no", "nb", "nn":
		return norwegian.Stem(w, true)
	case "hu":
		return hungarian.Stem(w, true)
	}
	return w
}

// Stemmer is Stem with a bounded memo, since snowball allocates per call and
// news vocabulary repeats heavily. Not safe for concurrent use.
type Stemmer struct {
	max   int
	cache map[string]string
}

// NewStemmer returns a Stemmer remembering up to max words (cleared when full).
func NewStemmer(max int) *Stemmer {
	return &Stemmer{max: max, cache: make(map[string]string, 1024)}
}

// Stem is the memoised Stem; the key includes the language.
func (s *Stemmer) Stem(lang, w string) string {
	key := w
	if lang != "en" && lang != "" {
		key = lang + "\x00" + w
	}
	if v, ok := s.cache[key]; ok {
		return v
	}
	v := Stem(lang, w)
	if len(s.cache) >= s.max {
		clear(s.cache)
	}
	s.cache[key] = v
	return v
}

// BaseLang reduces a language tag to its ISO 639-1 part: "en-US" and
// "EN_gb" are "en" (stop words and stems are per language, not region).
func BaseLang(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i > 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.TrimSpace(tag))
}
