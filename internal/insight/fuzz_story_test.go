package insight

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFigures: any text gives figures without panicking, and every figure
// shown is complete (a value, what it counts, who gave it).
func FuzzFigures(f *testing.F) {
	for _, s := range []string{
		"The plant will add 13,500 jobs next year, the Commerce Ministry said.",
		"About 40% of voters backed it, pollster Dana Reyes said.",
		"$2.4 billion in repairs, Mayor Lena Ortiz said. 3.5 percent, the agency said.",
		"Image 2 of 14 Police said 1,2,3 people.",
		"12–13 Patriot batteries, Volker said. 1,000,000,",
		"“10 injuries,” he said. $",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		for _, fg := range analyze(s).figures() {
			if fg.Value == "" || fg.What == "" || fg.SaidBy == "" {
				t.Errorf("incomplete figure %+v from %q", fg, s)
			}
		}
	})
}

// FuzzStory: any text of any size gives a story insight without panicking
// and within the caps.
func FuzzStory(f *testing.F) {
	f.Add("A fire destroyed the warehouse, police said.\nImage 1 of 44 Caption Close", "Fire")
	f.Add(strings.Repeat("Lamp river stone. ", 50), "Lamp")
	f.Add("\"Open quote that never ends\n\"And another", "")
	f.Fuzz(func(t *testing.T, body, title string) {
		cfg := DefaultConfig()
		in, run, err := cfg.story(context.Background(), []Article{{ID: 1, Title: title, Text: body, Outlet: "A"}, {ID: 2, Text: body, CopyOf: 1, Outlet: "B"}})
		if err != nil {
			t.Fatal(err)
		}
		if run.bytes > cfg.MaxArticleBytes || run.sum.cands > cfg.MaxSummaryCandidates {
			t.Errorf("over the caps: %+v", run)
		}
		if len(in.Hashtags) > cfg.MaxHashtags || len(in.Figures) > cfg.MaxFigures || len(in.Quotes) > cfg.MaxQuotes {
			t.Errorf("over the list caps: %d tags, %d figures, %d quotes", len(in.Hashtags), len(in.Figures), len(in.Quotes))
		}
	})
}
