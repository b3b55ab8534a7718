package insight

import (
	"embed"
	"strings"
)

//go:embed gazetteer/*.txt
var gazetteerFS embed.FS

type gazEntry struct{ name, kind string }

var (
	// gazetteer maps a normalised alias to its canonical entry.
	gazetteer = map[string]gazEntry{}
	// gazMaxTokens is the longest alias in words, bounding prefix matching.
	gazMaxTokens = 1
	firstNames   = map[string]bool{}
)

func init() {
	for file, kind := range map[string]string{"places.txt": "place", "orgs.txt": "org", "things.txt": "thing"} {
		b, err := gazetteerFS.ReadFile("gazetteer/" + file)
		if err != nil {
			panic("insight: embedded gazetteer missing: " + err.Error())
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			names := strings.Split(line, "|")
			for _, alias := range names {
				k := gazKey(alias)
				if _, dup := gazetteer[k]; dup {
					continue // first listing wins ("Georgia" the country, "Washington" the city)
				}
				gazetteer[k] = gazEntry{names[0], kind}
				if n := len(strings.Fields(alias)); n > gazMaxTokens {
					gazMaxTokens = n
				}
			}
		}
	}
	b, err := gazetteerFS.ReadFile("gazetteer/firstnames.txt")
	if err != nil {
		panic("insight: embedded first names missing: " + err.Error())
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			firstNames[w] = true
		}
	}
}

// gazKey normalises a name for gazetteer look-up. Case is kept for short
// all-capital aliases so that "US" and "WHO" do not match "us" and "who".
func gazKey(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "the "), "The ")
	s = strings.ReplaceAll(s, "’", "'")
	if isAcronym(s) {
		return s
	}
	return lowerASCII(s)
}

func lookupGaz(s string) (gazEntry, bool) {
	if e, ok := gazetteer[gazKey(s)]; ok {
		return e, true
	}
	if len(s) > 4 && isAcronym(s) { // "FACEBOOK" in a shouting menu
		e, ok := gazetteer[lowerASCII(s)]
		return e, ok
	}
	return gazEntry{}, false
}

// isAcronym: two to six characters, all upper-case letters, digits or periods, at least two letters.
func isAcronym(s string) bool {
	letters := 0
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			letters++
		case r >= '0' && r <= '9', r == '.', r == '&', r == '-':
		default:
			return false
		}
	}
	return letters >= 2
}
