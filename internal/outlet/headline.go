package outlet

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Affixes are the site-name prefixes and suffixes one outlet puts on its
// titles ("Example News - ", " | Example News"), separator included.
type Affixes struct {
	Prefixes []string
	Suffixes []string
}

// Learning thresholds: an affix must recur in at least minRepeats of an
// outlet's titles and in this share of them, so one headline that happens
// to contain a dash teaches nothing.
const (
	minRepeats    = 3
	minShare      = 0.3
	minColonShare = 0.5  // "Label: …" prefixes are often real kickers, so ask more
	minKeptRunes  = 12   // never strip a title shorter than this
	maxAffixWords = 10   // a site name, not a sentence
	minDoubled    = 10   // shortest doubled half undone ("Go Go" stays)
	colon         = ": " // prefix separator learned with minColonShare
)

// Learn finds the affixes repeated across one outlet's titles.
func Learn(titles []string) Affixes {
	seen := make(map[string]bool, len(titles))
	var uniq []string
	for _, t := range titles {
		if t = tidy(t); t != "" && !seen[t] {
			seen[t] = true
			uniq = append(uniq, t)
		}
	}
	if len(uniq) < minRepeats {
		return Affixes{}
	}
	suffixes := map[string]int{}
	prefixes := map[string]int{}
	colonPrefixes := map[string]int{}
	for _, t := range uniq {
		got := map[string]bool{}
		for _, sep := range separators {
			for i := 0; ; {
				j := strings.Index(t[i:], sep)
				if j < 0 {
					break
				}
				at := i + j
				suf, pre := t[at:], t[:at+len(sep)]
				if !got["s"+suf] && at > 0 && len(strings.Fields(suf)) <= maxAffixWords+1 {
					got["s"+suf] = true
					suffixes[suf]++
				}
				if !got["p"+pre] && at+len(sep) < len(t) && len(strings.Fields(pre)) <= maxAffixWords+1 {
					got["p"+pre] = true
					prefixes[pre]++
				}
				i = at + len(sep)
			}
		}
		if j := strings.Index(t, colon); j > 0 && len(strings.Fields(t[:j])) <= maxAffixWords {
			colonPrefixes[t[:j+len(colon)]]++
		}
	}
	n := float64(len(uniq))
	pick := func(m map[string]int, share float64) []string {
		var out []string
		for a, c := range m {
			if c >= minRepeats && float64(c) >= share*n {
				out = append(out, a)
			}
		}
		// Longest first: " - Section - Site" before " - Site".
		slices.SortFunc(out, func(a, b string) int {
			if len(a) != len(b) {
				return len(b) - len(a)
			}
			return strings.Compare(a, b)
		})
		return out
	}
	af := Affixes{Suffixes: pick(suffixes, minShare), Prefixes: pick(prefixes, minShare)}
	af.Prefixes = append(af.Prefixes, pick(colonPrefixes, minColonShare)...)
	return af
}

// Clean returns title without its outlet's affixes, without a trailing or
// leading part that names the outlet (one of names: the outlet's name, its
// og:site_name, its host), and with a doubled headline ("XX - Site") said
// once. It never strips a title down to less than a short headline.
func Clean(title string, af Affixes, names ...string) string {
	t := tidy(title)
	if t == "" {
		return t
	}
	t = strip(t, af, names)
	if d := undouble(t); d != t {
		t = strip(d, af, names)
	}
	return t
}

func strip(t string, af Affixes, names []string) string {
	keep := func(rest string) bool { return utf8.RuneCountInString(strings.TrimSpace(rest)) >= minKeptRunes }
	for changed := true; changed; {
		changed = false
		for _, s := range af.Suffixes {
			if strings.HasSuffix(t, s) && keep(t[:len(t)-len(s)]) {
				t, changed = strings.TrimSpace(t[:len(t)-len(s)]), true
			}
		}
		for _, p := range af.Prefixes {
			if strings.HasPrefix(t, p) && keep(t[len(p):]) {
				t, changed = strings.TrimSpace(t[len(p):]), true
			}
		}
		for _, sep := range separators {
			if i := strings.LastIndex(t, sep); i > 0 && namesOutlet(t[i+len(sep):], names) && keep(t[:i]) {
				t, changed = strings.TrimSpace(t[:i]), true
			}
			if i := strings.Index(t, sep); i > 0 && namesOutlet(t[:i], names) && keep(t[i+len(sep):]) {
				t, changed = strings.TrimSpace(t[i+len(sep):]), true
			}
		}
	}
	return t
}

// namesOutlet reports whether a short title part is the outlet's name or
// spells its host ("wave3.com-Louisville News" for wave3.com).
func namesOutlet(part string, names []string) bool {
	if len(strings.Fields(part)) > maxAffixWords {
		return false
	}
	sp := squash(part)
	if sp == "" {
		return false
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if sn := squash(n); sn != "" && sp == sn {
			return true
		}
		if looksLikeHost(n) {
			if l := hostLabel(strings.TrimPrefix(strings.ToLower(n), "www.")); len(l) >= 4 && strings.HasPrefix(sp, l) {
				return true
			}
		}
	}
	return false
}

// undouble drops the first copy of a headline repeated back to back
// ("X: 2 Women ShotX: 2 Women Shot - Site" -> "X: 2 Women Shot - Site").
func undouble(t string) string {
	for k := len(t) / 2; k >= minDoubled; k-- {
		if !utf8.RuneStart(t[k]) {
			continue
		}
		half := strings.TrimSpace(t[:k])
		rest := strings.TrimLeft(t[k:], " ")
		if len(half) >= minDoubled && strings.HasPrefix(rest, half) {
			return rest
		}
	}
	return t
}
