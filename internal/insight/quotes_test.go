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
			"“We will open the border crossing on Monday,” Trade Minister Hanna Berg, who took office in May, said in a statement.",
			[]Quote{{Text: "We will open the border", Speaker: "Hanna Berg"}}},
		{"U.S. attorney appositive",
			"“The defendant will face a federal jury in the spring,” Mark Ellison, the U.S. attorney for the Southern District, said.",
			[]Quote{{Text: "The defendant will face", Speaker: "Mark Ellison"}}},
		{"titles separated by commas before the name",
			"“Orders slowed in the last month of the quarter,” founder, owner and chief executive Alan Reeve said in the release.",
			[]Quote{{Text: "Orders slowed in the last", Speaker: "Alan Reeve"}}},
		{"CEO of a company adds",
			"“Our trucks will run on batteries by next year,” Nora Quist, CEO of Valley Freight, adds.",
			[]Quote{{Text: "Our trucks will run", Speaker: "Nora Quist"}}},
		{"attribution at the end of a longer sentence",
			"The state's housing shortage is “worse than any of us expected” and hurts every town, Gov. Ellen Marsh said on Monday.",
			[]Quote{{Text: "worse than any of us", Speaker: "Ellen Marsh"}}},
		{"time phrase after the verb, speaker later",
			"“The league wants a longer season than the last one” added on Friday, said Peter Lang, a sports economist.",
			[]Quote{{Text: "The league wants a longer", Speaker: "Peter Lang"}}},
		{"description running on to the name",
			"“Rents have risen in every district since spring,” said research director of the institute Maya Lindqvist.",
			[]Quote{{Text: "Rents have risen", Speaker: "Maya Lindqvist"}}},
		{"short quote's speaker carries to the next quote",
			"“Great,” coach Bruno Salas said. “We are proud of how hard this team worked.”",
			[]Quote{{Text: "We are proud of how", Speaker: "Bruno Salas"}}},
		{"pronoun chain through she added",
			"Senator Ruth Okafor wrote a letter on Tuesday. She added, “We must give every child a fair start.”\n\n“The answer to fear is better schools,” she wrote in her letter.",
			[]Quote{{Text: "We must give every", Speaker: "Ruth Okafor"}, {Text: "The answer to fear", Speaker: "Ruth Okafor"}}},
		{"lead-in speech verb wins over the reporting office",
			"Victor Hale was arrested in April.\n\nDuring the call, he said, “this will not end well for any of you,” the prosecutor's office said.",
			[]Quote{{Text: "this will not end well", Speaker: "Victor Hale"}}},
		{"organisation speaks in a statement",
			"The Transport Ministry said in a statement that the plan was ready.\n\n“Contractors will be chosen by the end of the month,” the statement said.",
			[]Quote{{Text: "Contractors will be chosen", Speaker: "Transport Ministry"}}},
		{"spokesperson of a named company",
			"“We are reviewing the complaint and will respond soon,” said a Netflix spokesperson.",
			[]Quote{{Text: "We are reviewing the complaint", Speaker: "Netflix"}}},
		{"organisation goes on as they",
			"Netflix denied the report on Friday.\n\n“We never removed the show from the schedule,” they said in a statement.",
			[]Quote{{Text: "We never removed the show", Speaker: "Netflix"}}},
		{"name modifying another head is not the speaker",
			"The authors of a paper in the journal Nature Medicine argued that the new rules are “a clear gain for public health overall.”",
			[]Quote{{Text: "a clear gain for public health"}}},
		{"the actor refers to the person just named",
			"Actor Liam Porter lost the vote on Monday.\n\n“Nobody can plan for a week like this one,” said the actor.",
			[]Quote{{Text: "Nobody can plan for a week", Speaker: "Liam Porter"}}},
		{"called it a quotation",
			"Gov. Ellen Marsh launched the campaign.\n\nMarsh called the campaign a “fresh start for every school in the state.”",
			[]Quote{{Text: "fresh start for every school", Speaker: "Ellen Marsh"}}},
		{"unknown speaker says so rather than guessing",
			"Mayor Jane Smith opened the fair.\n\n“It was the best day of the year,” one visitor said.",
			[]Quote{{Text: "It was the best day", SpeakerDesc: "one visitor"}}},
		{"they goes on with the last organisation quoted",
			"Acme Music Group said in a statement that it had done nothing wrong.\n\n“We never cancelled the tour,” Acme Music Group said.\n\nThe dispute began in June. Fans were angry. Lawmakers weighed in. Critics wrote letters.\n\n“Ticket refunds will be paid within a week,” they said.",
			[]Quote{{Text: "We never cancelled", Speaker: "Acme Music Group"}, {Text: "Ticket refunds will be", Speaker: "Acme Music Group"}}},
		{"she goes on with the last person quoted",
			"“I am proud of every song on this record,” singer Mara Quill said.\n\nThe row began in June. The label denied any wrongdoing. Fans were angry. Lawmakers weighed in.\n\n“The next tour starts in the spring,” she said.",
			[]Quote{{Text: "I am proud of every song", Speaker: "Mara Quill"}, {Text: "The next tour starts", Speaker: "Mara Quill"}}},
		{"appositive subject after an earlier clause",
			"Mayor Ada Lind wants the plant closed, but Omar Quist, head of the workers' union, told reporters the plant will stay “open for many more years to come.”",
			[]Quote{{Text: "open for many more years", Speaker: "Omar Quist"}}},
		{"no guess when someone else's speech came in between",
			"“I am proud of every song on this record,” singer Mara Quill said.\n\nThe row began in June. Her manager said the label had asked him to wait. Fans were angry.\n\n“The next tour starts in the spring,” he said.",
			[]Quote{{Text: "I am proud of every song", Speaker: "Mara Quill"}, {Text: "The next tour starts"}}},
		{"a product is never the speaker",
			"The service launched in November.\n\n“Every game loads in seconds on any screen,” Xbox says in its pitch.",
			[]Quote{{Text: "Every game loads", SpeakerDesc: "Xbox"}}},
		{"mixed straight and curly marks",
			"“We will rebuild the bridge next year,\" said Mayor Jane Smith.",
			[]Quote{{Text: "We will rebuild the bridge", Speaker: "Jane Smith"}}},
		{"quote cut off at the end of an excerpt",
			"Mayor Ana Ruiz spoke at city hall. Ruiz said, \"Prices always climb in the weeks before a holiday and as stores...",
			[]Quote{{Text: "Prices always climb", Speaker: "Ana Ruiz"}}},
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
