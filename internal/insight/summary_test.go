package insight

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestEligibleSentence(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"The council voted on Tuesday to close the old river bridge for repairs.", true},
		{"When did I ever say that the river bridge would stay open all year...", false},
		{"Image 1 of 44 Caption Close The council voted to close the old river bridge.", false},
		{"The council voted to close the bridge, Getty Images shows in a gallery photo.", false},
		{"\"We will keep the old river bridge open as long as we can, said the mayor.", false},
		{"Anyone with information is asked to call police at 555-201-3344 right away.", false},
		{"He said the council voted on Tuesday to close the old river bridge.", false},
		{"It's been four months since the council voted to close the river bridge.", false},
		{"I voted on Tuesday to close the old river bridge for repairs myself.", false},
		{"Why did the council vote on Tuesday to close the old river bridge?", false},
		{"Bridge closed.", false},
	}
	for _, tt := range tests {
		if got := eligibleSentence(tt.s, words(tt.s)); got != tt.want {
			t.Errorf("eligibleSentence(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestSummaryFacts(t *testing.T) {
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		arts []Article
		// check inspects the summary
		check func(t *testing.T, sum []Sentence)
	}{
		{
			name: "three leads of one fact make one line crediting all three",
			arts: []Article{
				{ID: 1, Outlet: "North Post", Published: day, Text: `A fire destroyed the Alder Street warehouse in Port Wren early Monday, forcing dozens of families from nearby homes.
Firefighters fought the blaze for six hours before bringing it under control.
The cause of the fire is under investigation, according to the fire marshal.`},
				{ID: 2, Outlet: "Wren Herald", Published: day.Add(2 * time.Hour), Text: `Fire crews battled a blaze that destroyed the Alder Street warehouse in Port Wren on Monday morning and forced families from homes nearby.
Nobody was hurt, but the warehouse roof collapsed shortly after dawn according to witnesses.
The warehouse stored furniture and paper goods for local shops in the harbor district.`},
				{ID: 3, Outlet: "Coast Radio", Published: day.Add(3 * time.Hour), Text: `Dozens of families were forced from their homes when a fire destroyed the Alder Street warehouse in Port Wren early Monday.
Residents were allowed back into their homes by the evening after the smoke cleared.
The city will inspect the remaining walls of the warehouse on Wednesday morning.`},
			},
			check: func(t *testing.T, sum []Sentence) {
				n := 0
				for _, s := range sum {
					if strings.Contains(s.Text, "destroyed the Alder Street warehouse") {
						n++
						if len(s.Outlets) != 3 {
							t.Errorf("the lead fact credits %v, want all three outlets", s.Outlets)
						}
					}
				}
				if n != 1 {
					t.Errorf("the lead fact appears %d times, want once: %+v", n, sum)
				}
			},
		},
		{
			name: "reworded leads of one event are one line; a new fact the same day is its own",
			arts: []Article{
				{ID: 1, Outlet: "North Post", Published: day, Text: `Five people were hurt after a gunman opened fire at the Lumen Hall club in Carver City early Saturday.
Witnesses described a chaotic scene as patrons ran into the street outside the building.`},
				{ID: 2, Outlet: "Wren Herald", Published: day.Add(time.Hour), Text: `Carver City police are hunting a gunman who opened fire at a downtown nightclub, sending five people to the hospital.
Doctors said all of the wounded were expected to survive their injuries after surgery.`},
				{ID: 3, Outlet: "Coast Radio", Published: day.Add(9 * time.Hour), Text: `Carver City police arrested a suspect on Saturday evening in the Lumen Hall club case after a search.
The suspect will appear before a judge in the county court on Monday morning, officers said.`},
			},
			check: func(t *testing.T, sum []Sentence) {
				var attack, arrest int
				for _, s := range sum {
					if strings.Contains(s.Text, "opened fire") {
						attack++
						if len(s.Outlets) != 2 {
							t.Errorf("the attack credits %v, want North Post and Wren Herald", s.Outlets)
						}
					}
					if strings.Contains(s.Text, "arrested a suspect") {
						arrest++
					}
				}
				if attack != 1 || arrest != 1 {
					t.Errorf("attack told %d times, arrest %d times, want once each: %+v", attack, arrest, sum)
				}
			},
		},
		{
			name: "fragments and caption residue are never shown",
			arts: []Article{{ID: 1, Outlet: "A", Published: day, Text: `Image 1 of 44 Caption Close The mayor of Port Wren opened the new harbor ferry terminal on Monday.
The mayor of Port Wren opened the new harbor ferry terminal on Monday after three years of building work.
When did I last take a ferry across the harbor to the old town...
"The terminal will serve two million passengers a year across the harbor, the mayor told the crowd.
The ferry terminal cost the city and the port authority more than forty million dollars in total.`}},
			check: func(t *testing.T, sum []Sentence) {
				if len(sum) == 0 {
					t.Fatal("no summary")
				}
				for _, s := range sum {
					if hasFurniture(s.Text) || strings.Contains(s.Text, "Caption") || strings.HasSuffix(s.Text, "...") ||
						strings.Count(s.Text, "\"")%2 == 1 {
						t.Errorf("summary shows a fragment or residue: %q", s.Text)
					}
				}
			},
		},
		{
			name: "lines are dated and in time order when the story spans days",
			arts: []Article{
				{ID: 1, Outlet: "North Post", Published: day, Text: `A fire destroyed the Alder Street warehouse in Port Wren early Monday, forcing dozens of families from nearby homes.
Firefighters fought the blaze for six hours before bringing it under control on Monday.`},
				{ID: 2, Outlet: "Wren Herald", Published: day.Add(72 * time.Hour), Text: `Investigators said Thursday that faulty wiring caused the fire that destroyed the Alder Street warehouse in Port Wren.
The owner of the Alder Street warehouse will face a hearing over the faulty wiring next month.`},
			},
			check: func(t *testing.T, sum []Sentence) {
				if len(sum) < 2 {
					t.Fatalf("summary of %d lines", len(sum))
				}
				for i, s := range sum {
					if s.Published.IsZero() {
						t.Errorf("line %d undated in a story spanning days: %q", i, s.Text)
					}
					if i > 0 && s.Published.Before(sum[i-1].Published) {
						t.Errorf("line %d (%v) before line %d (%v)", i, s.Published, i-1, sum[i-1].Published)
					}
				}
			},
		},
		{
			name: "one day: no dates",
			arts: []Article{
				{ID: 1, Outlet: "North Post", Published: day, Text: `A fire destroyed the Alder Street warehouse in Port Wren early Monday, forcing dozens of families from nearby homes.
Firefighters fought the blaze for six hours before bringing it under control on Monday.`},
				{ID: 2, Outlet: "Wren Herald", Published: day.Add(5 * time.Hour), Text: `Investigators said Monday that faulty wiring caused the fire that destroyed the Alder Street warehouse in Port Wren.
The owner of the Alder Street warehouse will face a hearing over the faulty wiring next month.`},
			},
			check: func(t *testing.T, sum []Sentence) {
				for _, s := range sum {
					if !s.Published.IsZero() {
						t.Errorf("line dated in a one-day story: %+v", s)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Story(context.Background(), tt.arts)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, in.Summary)
		})
	}
}

func TestDatedLines(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		times []time.Time
		dated bool
	}{
		{"one day", []time.Time{at(2, 8), at(2, 20)}, false},
		{"either side of midnight", []time.Time{at(2, 22), at(3, 1)}, false},
		{"two days", []time.Time{at(2, 8), at(4, 9)}, true},
		{"undated articles", []time.Time{{}, {}}, false},
	}
	for _, tt := range tests {
		var out []Sentence
		for i, p := range tt.times {
			out = append(out, Sentence{Text: fmt.Sprint(i), Published: p})
		}
		datedLines(out)
		for _, s := range out {
			if !s.Published.IsZero() != tt.dated {
				t.Errorf("%s: line %s dated %v, want dated=%v", tt.name, s.Text, s.Published, tt.dated)
			}
		}
	}
}

func TestSameFactShares(t *testing.T) {
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := DefaultConfig()
	tests := []struct {
		name string
		a, b cand
		want float64
	}{
		{"leads of two articles the same day", cand{article: 0, pos: 0, published: day}, cand{article: 1, pos: 1, published: day.Add(5 * time.Hour)}, c.SameLeadShare},
		{"leads days apart are follow-ups", cand{article: 0, pos: 0, published: day}, cand{article: 1, pos: 0, published: day.Add(72 * time.Hour)}, c.SameFactShare},
		{"body sentences", cand{article: 0, pos: 4, published: day}, cand{article: 1, pos: 0, published: day}, c.SameFactShare},
		{"one article", cand{article: 0, pos: 0, published: day}, cand{article: 0, pos: 1, published: day}, c.SameFactShare},
	}
	for _, tt := range tests {
		got, core := c.share(&tt.a, &tt.b)
		if got != tt.want {
			t.Errorf("%s: share = %v, want %v", tt.name, got, tt.want)
		}
		if lead := tt.want == c.SameLeadShare; (core == c.LeadCoreWords) != lead || lead && core == 0 {
			t.Errorf("%s: core %d, want %d only for leads", tt.name, core, c.LeadCoreWords)
		}
	}
}

// TestLongLeadsOneFact: two outlets' leads of one happening, one with a long
// background clause, are one summary line crediting both; a lead about
// another happening in the same place stays its own line. Texts written for
// this test.
func TestLongLeadsOneFact(t *testing.T) {
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	arts := []Article{
		{Outlet: "Harbour Times", Published: day, Text: "The city council voted Tuesday to create a special commission " +
			"to investigate the collapse of the Marrow Bridge, while shopkeepers along both banks counted losses and " +
			"ferry crews warned that river traffic could stay closed until summer.\nEngineers began clearing the river on Wednesday."},
		{Outlet: "Valley Courier", Published: day.Add(3 * time.Hour), Text: "The city council on Tuesday approved a special " +
			"commission to investigate the collapse of the Marrow Bridge, after regional officials refused last month to " +
			"open any inquiry and angry residents filled the town hall demanding compensation.\nThe river stays closed to boats."},
		{Outlet: "Coast Daily", Published: day.Add(4 * time.Hour), Text: "Divers recovered a crane from the river beside " +
			"the Marrow Bridge on Tuesday, the port authority said.\nTraffic resumed at noon."},
	}
	in, err := Story(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	sum := in.Summary
	commission := 0
	for _, s := range sum {
		if strings.Contains(s.Text, "commission") {
			commission++
			if len(s.Outlets) < 2 {
				t.Errorf("the commission line credits %v, want both outlets that reported it", s.Outlets)
			}
		}
	}
	if commission != 1 {
		t.Errorf("%d summary lines tell the commission vote, want 1: %+v", commission, sum)
	}
}
