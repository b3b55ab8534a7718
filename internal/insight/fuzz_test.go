package insight

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are shapes that have broken the extractors before: quotations run
// over paragraphs, unclosed and mixed marks, apostrophes, names at the very end.
var fuzzSeeds = []string{
	"",
	"\"",
	"“",
	"“\n\n“",
	"“We will rebuild,” Smith said.\n\n“The money is there.\n\n“Work starts in spring.”",
	"\"Open and never closed\n\n\"Still open",
	"He said \"it's 'fine' now,\" and left.",
	"'90s hits and 'em, Trump's plan ' ' '",
	"“Mixed marks here,\" said Jane Doe. \"And here.”",
	"Sen. Chuck Doe, D-N.Y., said: “",
	"The S&P 500 fell. US and U.S. officials met at the House of Representatives.",
	"A B C D E F G. Mr. . Dr.\n\nJr.",
	"“…,” she said. “…",
	"said",
	"according to",
	"Jane Doe, CEO of Acme Corp., adds: \"We ship",
}

func addFuzzSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, name := range []string{"seed_nato_plan", "seed_selling_weapons"} {
		if b, err := os.ReadFile("testdata/" + name + ".txt"); err == nil {
			f.Add(string(b))
		}
	}
}

// FuzzQuotes: the quotation extractor never panics and returns well-formed quotations.
func FuzzQuotes(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range Quotes(s) {
			if strings.TrimSpace(q.Text) == "" {
				t.Errorf("empty quotation from %q", s)
			}
			if utf8.ValidString(s) && !utf8.ValidString(q.Text) {
				t.Errorf("quotation %q is not valid UTF-8 though the input is", q.Text)
			}
		}
	})
}

// FuzzEntities: the entity extractor never panics and names every entity it returns.
func FuzzEntities(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range Entities(s) {
			if strings.TrimSpace(e.Name) == "" {
				t.Errorf("entity without a name from %q", s)
			}
			if e.Kind == "" {
				t.Errorf("entity %q without a kind", e.Name)
			}
		}
	})
}
