package story

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// longReport pads an incident report with generic crime-news sentences to
// full-article length, as local news sites do.
func longReport(lead string, i int) string {
	var b strings.Builder
	b.WriteString(lead)
	filler := []string{
		"Officers canvassed the neighborhood and collected surveillance video from nearby businesses.",
		"Residents said the block had been quiet in recent months and that gunfire was rare.",
		"Investigators asked anyone with information to call the tip line; callers may remain anonymous.",
		"The department said detectives were reviewing evidence recovered at the scene.",
		"Community leaders planned a vigil for the weekend and called for calm.",
		"A spokesperson said more details would be released as the investigation continued.",
	}
	for k := 0; k < 5; k++ {
		for j, f := range filler {
			if (j+k+i)%3 != 0 {
				fmt.Fprintf(&b, " %s", f)
			}
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// A short update (a few sentences) about an incident that full-length
// articles already cover must meet the full-text threshold: its cosine with
// long articles is diluted by their length, not by its own brevity.
func TestShortUpdateJoinsLongStory(t *testing.T) {
	c := New(DefaultConfig(), 1)
	background(c, 150)
	lead := "Marcus Delgado, 19, was shot and killed Saturday night outside a laundromat on Pickett Avenue in Tulsa. " +
		"Police said a second man, Andre Whitfield, 22, was wounded. "
	a := c.Add(Doc{ID: 1, Title: "Teen killed, man wounded in Pickett Avenue shooting", Text: longReport(lead, 0),
		Lang: "en", Source: "a.example", Published: t0})
	b := c.Add(Doc{ID: 2, Title: "Tulsa police identify Pickett Avenue shooting victim as Marcus Delgado", Text: longReport(lead, 1),
		Lang: "en", Source: "b.example", Published: t0.Add(2 * time.Hour)})
	if b.Story != a.Story {
		t.Fatalf("second full report started story %d, want %d (%s)", b.Story, a.Story, b.Reason)
	}
	upd := Doc{ID: 3, Title: "Arrest made in Tulsa laundromat killing", Lang: "en", Source: "c.example", Published: t0.Add(26 * time.Hour),
		Text: "Police arrested a 24-year-old man Sunday in the weekend killing of a teenager outside a laundromat. " +
			"Delgado's family asked for privacy."}
	s := c.stories[a.Story]
	f, _ := c.an.analyze(&upd, c.df)
	if got, want := c.pairTokens(f.nTokens, s), s.tokens/s.counted; got != want || got <= f.nTokens {
		t.Fatalf("pairTokens(%d, story of %d-token articles) = %d, want the story's %d", f.nTokens, want, got, want)
	}
	if got := c.Add(upd); got.Story != a.Story {
		t.Errorf("short update started story %d, want %d (%s)", got.Story, a.Story, got.Reason)
	}
	// Between short texts the short-text threshold still applies.
	short := &story{tokens: 3 * 30, counted: 3}
	if got := c.pairTokens(30, short); got != 30 {
		t.Errorf("pairTokens(30, story of 30-token leads) = %d, want 30", got)
	}
}
