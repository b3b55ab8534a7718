package insight

import (
	"strings"
	"testing"
)

// TestQuotesMultiParagraph covers quotations that run over several
// paragraphs, each paragraph re-opening the quotation mark.
func TestQuotesMultiParagraph(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Quote // Text prefix, Speaker
	}{
		{"three paragraphs after an attributed quote",
			"Mayor Jane Smith spoke on Monday.\n\n“We will rebuild the bridge,” Smith said.\n\n“The city has the money for it and the plans are ready.\n\n“Work starts next spring and ends within a year.\n\n“Nobody will be left waiting.”\n\nThe council votes next week.",
			[]Quote{{Text: "We will rebuild the bridge", Speaker: "Jane Smith"}, {Text: "The city has the money for it", Speaker: "Jane Smith"}}},
		{"opening paragraph attributed after its first sentence",
			"Officials met on Friday.\n\n\"The river is rising fast,\" said Tom Reyes, the county engineer. \"We have asked people to leave the low streets.\n\n\"Boats are standing by for anyone who cannot.\"\n\nShelters opened at two schools.",
			[]Quote{{Text: "The river is rising fast", Speaker: "Tom Reyes"}, {Text: "We have asked people to leave", Speaker: "Tom Reyes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Quotes(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotes %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i].Text, w.Text) {
					t.Errorf("quote %d text = %q, want prefix %q", i, got[i].Text, w.Text)
				}
				if got[i].Speaker != w.Speaker {
					t.Errorf("quote %d speaker = %q (%q), want %q", i, got[i].Speaker, got[i].SpeakerDesc, w.Speaker)
				}
			}
		})
	}
}
