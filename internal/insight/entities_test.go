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
			"The House of Representatives passed the bill. Customs and Border Protection agents were told. The Food and Drug Administration approved the drug.",
			[]string{"House of Representatives", "Customs and Border Protection", "Food and Drug Administration"},
			[]string{"Representatives", "Border Protection", "Drug Administration", "Food"}},
		{"index with its number",
			"Shares rose 3 percent while the S&P 500 gained 1 percent and the FTSE 100 fell.",
			[]string{"S&P 500", "FTSE 100"}, []string{"S&P", "FTSE"}},
		{"newspaper's full name",
			"The San Diego Union reported the arrest on Tuesday.",
			[]string{"San Diego Union"}, []string{"Diego Union", "San Diego"}},
		{"acronyms, codes and party tags are no names",
			"Sen. Chuck Doe, D-N.Y., said the IPO was a VIP affair in Q3. Rep. Jane Roe (R-Texas) agreed. Gas NGc1 fell and the index .FTSE rose; zinc CMZN3 was flat.",
			[]string{"Chuck Doe", "Jane Roe"},
			[]string{"D-N", "IPO", "VIP", "Q3", "R-Texas", "NGc1", "FTSE", "CMZN3"}},
		{"capitalised common words",
			"Country music fans packed the hall. Analysts expect more. Because Jane Roe spoke first, the vote was delayed.",
			[]string{"Jane Roe"}, []string{"Country", "Analysts", "Because Jane Roe"}},
		{"uppercase US is the United States",
			"The US and China agreed on tariffs. US officials said talks would go on.",
			[]string{"United States", "China"}, nil},
		{"glued names split",
			"Speaker of the House Maria Cole spoke. Lions QB Sam Field was fined. Kerr's Orbit Holdings bought the label.",
			[]string{"Maria Cole", "Sam Field", "Orbit Holdings"},
			[]string{"House Maria Cole", "Lions QB Sam Field", "Kerr's Orbit Holdings"}},
		{"demonyms of known places",
			"Kenyan runner Ada Obi won. North Dakotans will vote in May. Brazilians voted.",
			[]string{"Ada Obi"}, []string{"Kenyan", "North Dakotans", "Brazilians"}},
		{"well-known organisations and products",
			"Netflix, T-Mobile and SoftBank shares rose, while Pfizer fell. The new iPad and MacBook Pro ship in May.",
			[]string{"Netflix", "T-Mobile", "SoftBank", "Pfizer", "iPad", "MacBook Pro"}, nil},
		{"newspaper after a place, journal with of the",
			"The Tulsa World Leader reported it first. The results appear in the Proceedings of the Royal Society.",
			[]string{"Tulsa World Leader", "Proceedings of the Royal Society"},
			[]string{"Tulsa", "Proceedings", "Royal Society"}},
		{"acronym of lower-case words, initials inside names",
			"Tests found chronic wasting disease, or CWD, in the herd. Lena B. Ortiz, his attorney, spoke.",
			[]string{"Lena B. Ortiz"}, []string{"CWD", "Ortiz"}},
		{"a coined name with an inner capital counts once",
			"The deal was arranged by the little-known firm ZenLedger in the spring.",
			[]string{"ZenLedger"}, nil},
		{"leader's surname before administration",
			"The guidance comes as the Carter administration weighs new rules.",
			[]string{"Carter"}, nil},
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
	text := "Governor Ana Ruiz spoke on Monday. Ruiz said the plan would pass. Martin L. Greer Jr., the U.S. attorney, agreed. Greer said so twice."
	es := Entities(text)
	found := map[string]Entity{}
	for _, e := range es {
		found[e.Name] = e
	}
	for _, c := range []struct{ name, alias string }{{"Ana Ruiz", "Ruiz"}, {"Martin L. Greer Jr", "Greer"}} {
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
