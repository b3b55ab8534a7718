package insight

import (
	"fmt"
	"testing"
)

func TestFiguresValues(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []Figure
	}{
		{"thousands separator", "The plant will add 13,500 jobs next year, the Commerce Ministry said.",
			[]Figure{{Value: "13,500", What: "jobs", SaidBy: "Commerce Ministry"}}},
		{"millions with separators", "Some 1,250,000 ballots were counted by Sunday, election officials said.",
			[]Figure{{Value: "Some 1,250,000", What: "ballots", SaidBy: "election officials"}}},
		{"currency and magnitude", "The council approved $2.4 billion in road repairs, Mayor Lena Ortiz said.",
			[]Figure{{Value: "$2.4 billion", What: "road repairs", SaidBy: "Lena Ortiz"}}},
		{"euro amount", "The museum raised €30 million for restorations, the foundation said.",
			[]Figure{{Value: "€30 million", What: "restorations", SaidBy: "the foundation"}}},
		{"percent sign", "About 40% of voters backed the measure, pollster Dana Reyes said.",
			[]Figure{{Value: "About 40%", What: "voters", SaidBy: "Dana Reyes"}}},
		{"percent word", "Fares will rise 3.5 percent for commuters, the transit agency said.",
			[]Figure{{Value: "3.5 percent", What: "commuters", SaidBy: "the transit agency"}}},
		{"counted participle", "At least 12 injured were taken to hospital, police said.",
			[]Figure{{Value: "At least 12", What: "injured", SaidBy: "police"}}},
		{"counted noun ends at its plural", "About 70% of American adults receive a first dose by July, the health agency said.",
			[]Figure{{Value: "About 70%", What: "American adults", SaidBy: "the health agency"}}},
		{"plural pair", "The city bought 12 buses and trams last year, transit chief Omar Sefu said.",
			[]Figure{{Value: "12", What: "buses and trams", SaidBy: "Omar Sefu"}}},
		// dropped: a verb is not what a number counts
		{"verb after number", "Economists surveyed by the bank said 180,000 expected to file claims.", nil},
		// dropped: the source is a pronoun standing for someone in another sentence
		{"pronoun source", "Premier Tomas Hale spoke on Monday. There were 10 injuries in the attack, he said.", nil},
		// dropped: caption residue in the sentence
		{"caption residue", "Two young children 21 Pro Video Image 2 of 14 Police said the home was empty.", nil},
		// dropped: no one gave it
		{"unsourced", "The bridge carries 40,000 cars a day.", nil},
		// dropped: ages, calibres, a number that counts nothing, a common noun as source
		{"age", "The victim was 19 years old, the Daily Star reported.", nil},
		{"calibre", "He carried a .38 special revolver, court records show.", nil},
		{"and after number", "She was a mother of seven and grandmother of ten, relatives said.", nil},
		{"common word source", "Man says five people ran from the car.", nil},
		{"court records", "The couple owed $40,000 in unpaid taxes, according to court records.",
			[]Figure{{Value: "$40,000", What: "unpaid taxes", SaidBy: "court records"}}},
		// dropped: numbers that label, not count
		{"labels", "Route 66 reopened on Jan. 6 after 3 of 14 lanes were fixed, officials said.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analyze(tt.text).figures()
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("figures(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestCleanSource(t *testing.T) {
	tests := []struct {
		by   string
		want bool
	}{
		{"Dana Reyes", true}, {"police", true}, {"election officials", true}, {"court records", true},
		{"the transit agency", true}, {"Kyiv Military Administration", true},
		{"The man police", false}, {"An", false}, {"Man", false},
		{"were hospitalized with gunshot wounds that authorities", false},
		{"Anyone with information in this case is", false},
		{"21 Pro Video Image 2 of 14 Police", false},
		{"what witnesses told detectives", false},
	}
	for _, tt := range tests {
		if got := cleanSource(tt.by); got != tt.want {
			t.Errorf("cleanSource(%q) = %v, want %v", tt.by, got, tt.want)
		}
	}
}
