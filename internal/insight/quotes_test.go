package insight

import (
	"fmt"
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

// TestQuotesSpeakerRules covers attribution forms beyond "X said".
func TestQuotesSpeakerRules(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Quote // Text prefix, Speaker, SpeakerDesc
	}{
		{"a name inside the quote is never the speaker",
			"Dana Ortiz, the defendant's lawyer, spoke after the hearing.\n\n“Carl Novak regrets what he did,” she said.",
			[]Quote{{Text: "Carl Novak regrets", Speaker: "Dana Ortiz"}}},
		{"appositive with a clause between name and verb",
			"“We will open the border crossing on Monday,” Interior Minister Hanna Berg, who took office in May, said in a statement.",
			[]Quote{{Text: "We will open the border", Speaker: "Hanna Berg"}}},
		{"U.S. attorney appositive",
			"“The defendant will face a federal jury in the spring,” Mark Ellison, the U.S. attorney for the Southern District, said.",
			[]Quote{{Text: "The defendant will face", Speaker: "Mark Ellison"}}},
		{"titles separated by commas before the name",
			"“Sales were below our expectations this quarter,” chairman, CEO and president Alan Reeve said in the release.",
			[]Quote{{Text: "Sales were below our", Speaker: "Alan Reeve"}}},
		{"CEO of a company adds",
			"“The small players bring agility to the market,” Nora Quist, CEO of Ceres Widgets, adds.",
			[]Quote{{Text: "The small players bring", Speaker: "Nora Quist"}}},
		{"attribution at the end of a longer sentence",
			"The state's housing shortage is “growing at an alarming rate” and affects every town, Gov. Ellen Marsh said on Monday.",
			[]Quote{{Text: "growing at an alarming rate", Speaker: "Ellen Marsh"}}},
		{"time phrase after the verb, speaker later",
			"“The president wants a bigger deal than the small one” announced in October, said Peter Lang, a trade scholar.",
			[]Quote{{Text: "The president wants a bigger", Speaker: "Peter Lang"}}},
		{"description running on to the name",
			"“Demand for workers is surging this spring,” said research director of the institute Maya Lindqvist.",
			[]Quote{{Text: "Demand for workers", Speaker: "Maya Lindqvist"}}},
		{"short quote's speaker carries to the next quote",
			"“That's perfect,” coach Bruno Salas said. “It's the mark of a true competitor on this team.”",
			[]Quote{{Text: "It's the mark of a true", Speaker: "Bruno Salas"}}},
		{"pronoun chain through she added",
			"Senator Ruth Okafor wrote a letter on Tuesday. She added, “We must teach the defendant love.”\n\n“The answer to hate is not more hate,” she wrote in her letter.",
			[]Quote{{Text: "We must teach", Speaker: "Ruth Okafor"}, {Text: "The answer to hate", Speaker: "Ruth Okafor"}}},
		{"lead-in speech verb wins over the reporting office",
			"Victor Hale was arrested in April.\n\nDuring the call, he said, “somebody ought to pay for this right now,” the prosecutor's office said.",
			[]Quote{{Text: "somebody ought to pay", Speaker: "Victor Hale"}}},
		{"organisation speaks in a statement",
			"The Interior Ministry said in a statement that the plan was ready.\n\n“Architects will be invited to submit plans this month,” the statement said.",
			[]Quote{{Text: "Architects will be invited", Speaker: "Interior Ministry"}}},
		{"spokesperson of a named company",
			"“We received an inquiry and are cooperating fully,” said a Netflix spokesperson.",
			[]Quote{{Text: "We received an inquiry", Speaker: "Netflix"}}},
		{"organisation goes on as they",
			"Netflix denied the report on Friday.\n\n“At no point did we block the special from airing,” they said in a statement.",
			[]Quote{{Text: "At no point did we block", Speaker: "Netflix"}}},
		{"name modifying another head is not the speaker",
			"The authors of the study published in the journal Nature Medicine argued that the rules bring “important social benefits for every city.”",
			[]Quote{{Text: "important social benefits"}}},
		{"the actor refers to the person just named",
			"Actor Liam Porter lost the vote on Monday.\n\n“You never know why these things happen to us,” said the actor.",
			[]Quote{{Text: "You never know why", Speaker: "Liam Porter"}}},
		{"called it a quotation",
			"Gov. Ellen Marsh launched the campaign.\n\nMarsh called the campaign a “bold, innovative effort like no other.”",
			[]Quote{{Text: "bold, innovative effort", Speaker: "Ellen Marsh"}}},
		{"unknown speaker says so rather than guessing",
			"Mayor Jane Smith opened the fair.\n\n“It was the best day of the year,” one visitor said.",
			[]Quote{{Text: "It was the best day", SpeakerDesc: "one visitor"}}},
		{"they goes on with the last organisation quoted",
			"Acme Music Group said in a statement that it had done nothing wrong.\n\n“We never blocked the concert,” Acme Music Group said.\n\nThe dispute began in June. Fans were angry. Lawmakers weighed in. Critics wrote letters.\n\n“We do not need to approve live shows at all,” they said.",
			[]Quote{{Text: "We never blocked", Speaker: "Acme Music Group"}, {Text: "We do not need", Speaker: "Acme Music Group"}}},
		{"she goes on with the last person quoted",
			"“I just want to play my own songs,” singer Mara Quill said.\n\nThe row began in June. The label denied any wrongdoing. Fans were angry. Lawmakers weighed in.\n\n“That's it, I have tried to work this out privately,” she said.",
			[]Quote{{Text: "I just want to play", Speaker: "Mara Quill"}, {Text: "That's it, I have tried", Speaker: "Mara Quill"}}},
		{"appositive subject after an earlier clause",
			"President Ada Lind has been eager to withdraw, but General Omar Quist, chairman of the joint staff, told reporters the troops will stay “for several more years to come.”",
			[]Quote{{Text: "for several more years", Speaker: "Omar Quist"}}},
		{"no guess when someone else's speech came in between",
			"“I just want to play my own songs,” singer Mara Quill said.\n\nThe row began in June. Her manager said the label had asked him to wait. Fans were angry.\n\n“That's it, I have tried to work this out privately,” he said.",
			[]Quote{{Text: "I just want to play", Speaker: "Mara Quill"}, {Text: "That's it, I have tried"}}},
		{"a product is never the speaker",
			"The service launched in November.\n\n“Every game loads in seconds on any screen,” Stadia says in its pitch.",
			[]Quote{{Text: "Every game loads", SpeakerDesc: "Stadia"}}},
		{"mixed straight and curly marks",
			"“We will rebuild the bridge next year,\" said Mayor Jane Smith.",
			[]Quote{{Text: "We will rebuild the bridge", Speaker: "Jane Smith"}}},
		{"quote cut off at the end of an excerpt",
			"President Joe Biden spoke at the White House. Biden said, \"Crime historically rises during the summer and as we emerge...",
			[]Quote{{Text: "Crime historically rises", Speaker: "Joe Biden"}}},
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
				if got[i].Speaker != w.Speaker || got[i].SpeakerDesc != w.SpeakerDesc {
					t.Errorf("quote %d speaker = %q (%q), want %q (%q)", i, got[i].Speaker, got[i].SpeakerDesc, w.Speaker, w.SpeakerDesc)
				}
			}
		})
	}
}

// BenchmarkQuotesScaling attributes quotations in texts of growing size; the
// time per paragraph should stay flat (attribution looks mentions and
// sentences up by binary search, not by scanning the whole text per quotation).
func BenchmarkQuotesScaling(b *testing.B) {
	for _, n := range []int{250, 1000, 4000} {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "Mayor Jane Smith%d met Tom Reyes%d in Boston. “We will rebuild the bridge soon,” she said. “The money is there for it,” Reyes said in a statement.\n\n", i, i)
		}
		text := sb.String()
		b.Run(fmt.Sprintf("paragraphs=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Quotes(text)
			}
		})
	}
}
