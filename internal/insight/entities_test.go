package insight

import "testing"

// TestEntitiesNames covers cut, glued and spurious names.
func TestEntitiesNames(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // entity names that must be found
		not        []string // names that must not be found
	}{
		{"names with of and and are whole",
			"The House of Representatives passed the bill. Customs and Border Protection agents were told. The U.S. Securities and Exchange Commission opened an inquiry.",
			[]string{"House of Representatives", "Customs and Border Protection", "Securities and Exchange Commission"},
			[]string{"Representatives", "Border Protection", "Exchange Commission", "U.S. Securities"}},
		{"index with its number",
			"Shares rose 3 percent while the S&P 500 gained 1 percent and the STOXX 600 fell.",
			[]string{"S&P 500", "STOXX 600"}, []string{"S&P", "STOXX"}},
		{"newspaper's full name",
			"The San Francisco Chronicle reported the arrest on Tuesday.",
			[]string{"San Francisco Chronicle"}, []string{"Francisco Chronicle", "San Francisco"}},
		{"acronyms, codes and party tags are no names",
			"Sen. Chuck Doe, D-N.Y., said the IPO was a VIP affair in Q3. Rep. Jane Roe (R-Texas) agreed. Oil CLc1 fell and the dollar index .DXY rose; copper CMCU3 was flat.",
			[]string{"Chuck Doe", "Jane Roe"},
			[]string{"D-N", "IPO", "VIP", "Q3", "R-Texas", "CLc1", "DXY", "CMCU3"}},
		{"capitalised common words",
			"Country music fans packed the hall. Analysts expect more. Because Jane Roe spoke first, the vote was delayed.",
			[]string{"Jane Roe"}, []string{"Country", "Analysts", "Because Jane Roe"}},
		{"uppercase US is the United States",
			"The US and China agreed on tariffs. US officials said talks would go on.",
			[]string{"United States", "China"}, nil},
		{"glued names split",
			"Speaker of the House Nancy Pelosi spoke. Browns DL Sheldon Richardson was fined. Braun's Ithaca Holdings bought the label.",
			[]string{"Nancy Pelosi", "Sheldon Richardson", "Ithaca Holdings"},
			[]string{"House Nancy Pelosi", "Browns DL Sheldon Richardson", "Braun's Ithaca Holdings", "Braun’s Ithaca Holdings"}},
		{"demonyms of known places",
			"Nigerian actress Ada Obi won. South Dakotans will see the ads. Brazilians voted.",
			[]string{"Ada Obi"}, []string{"Nigerian", "South Dakotans", "Brazilians"}},
		{"well-known organisations and products",
			"Netflix, T-Mobile and SoftBank shares rose, while Pfizer fell. The new iPad and MacBook Pro ship in May.",
			[]string{"Netflix", "T-Mobile", "SoftBank", "Pfizer", "iPad", "MacBook Pro"}, nil},
		{"newspaper after a place, journal with of the",
			"The Sioux Falls Argus Leader reported it first. The results appear in the Monthly Notices of the Royal Astronomical Society.",
			[]string{"Sioux Falls Argus Leader", "Monthly Notices of the Royal Astronomical Society"},
			[]string{"Sioux Falls", "Monthly Notices", "Royal Astronomical Society"}},
		{"acronym of lower-case words, initials inside names",
			"Doctors found hypersensitivity pneumonitis, or HP, in the patient. Sonya A. Zoghlin, his attorney, spoke. The 737 Max stays grounded.",
			[]string{"Sonya A. Zoghlin", "Boeing 737 Max"}, []string{"HP", "Max", "Zoghlin"}},
		{"a coined name with an inner capital counts once",
			"The deal was arranged by the little-known firm ZenLedger in the spring.",
			[]string{"ZenLedger"}, nil},
		{"leader's surname before administration",
			"The guidance comes as the Biden administration weighs new rules.",
			[]string{"Biden"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := entityMap(Entities(tt.text))
			for _, w := range tt.want {
				if _, ok := got[w]; !ok {
					t.Errorf("missing %q in %v", w, got)
				}
			}
			for _, n := range tt.not {
				if _, ok := got[n]; ok {
					t.Errorf("spurious %q in %v", n, got)
				}
			}
		})
	}
}

// TestEntitiesMergePersons: a surname and the full name are one entity with aliases.
func TestEntitiesMergePersons(t *testing.T) {
	text := "President Joe Biden spoke on Monday. Biden said the plan would pass. James P. Kennedy Jr., the U.S. attorney, agreed. Kennedy said so twice."
	es := Entities(text)
	found := map[string]Entity{}
	for _, e := range es {
		found[e.Name] = e
	}
	for _, c := range []struct{ name, alias string }{{"Joe Biden", "Biden"}, {"James P. Kennedy Jr", "Kennedy"}} {
		e, ok := found[c.name]
		if !ok {
			t.Errorf("missing %q in %+v", c.name, es)
			continue
		}
		if e.Kind != KindPerson {
			t.Errorf("%q kind = %q, want person", c.name, e.Kind)
		}
		if !contains(e.Aliases, c.alias) {
			t.Errorf("%q aliases = %v, want %q among them", c.name, e.Aliases, c.alias)
		}
		if _, ok := found[c.alias]; ok {
			t.Errorf("%q is a separate entity from %q", c.alias, c.name)
		}
	}
}
