package insight

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func seed(t testing.TB, name string) (title, body string) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	h, err := os.ReadFile("testdata/" + name + ".title")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(h)), string(b)
}

func mustStory(t testing.TB, arts []Article) Insight {
	t.Helper()
	in, err := Story(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func entityMap(es []Entity) map[string]string {
	m := map[string]string{}
	for _, e := range es {
		m[e.Name] = e.Kind
	}
	return m
}

func TestEntitiesSeeds(t *testing.T) {
	tests := []struct {
		seed   string
		want   map[string]string
		absent []string
	}{
		{"seed_nato_plan",
			map[string]string{"Trump": KindPerson, "Mark Rutte": KindPerson, "NATO": KindOrg, "Patriot": KindThing,
				"Ukraine": KindPlace, "Kyiv": KindPlace, "Kurt Volker": KindPerson, "Vladimir Putin": KindPerson, "Pentagon": KindOrg},
			[]string{"The", "Still", "Meanwhile", "Though", "Ultimately", "Ten", "Rutte", "Volker", "NATO Secretary General Mark Rutte", "July", "Russian"}},
		{"seed_selling_weapons",
			map[string]string{"Donald Trump": KindPerson, "Marco Rubio": KindPerson, "Volodymyr Zelenskyy": KindPerson,
				"Lindsey Graham": KindPerson, "Friedrich Merz": KindPerson, "Mark Rutte": KindPerson, "NATO": KindOrg,
				"Kyiv": KindPlace, "Patriot": KindThing, "Allison Hart": KindPerson, "Kuala Lumpur": KindPlace},
			[]string{"Trump", "President Donald Trump", "Rubio", "Zelenskyy", "Graham", "Thursday", "Friday", "February", "Secretary", "Lindsey Graham of South Carolina"}},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			_, body := seed(t, tt.seed)
			got := entityMap(Entities(body))
			for name, kind := range tt.want {
				if k, ok := got[name]; !ok {
					t.Errorf("missing entity %q", name)
				} else if k != kind {
					t.Errorf("entity %q kind = %s, want %s", name, k, kind)
				}
			}
			for _, name := range tt.absent {
				if _, ok := got[name]; ok {
					t.Errorf("unexpected entity %q", name)
				}
			}
		})
	}
}

func TestEntitiesRules(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   []string
		absent []string
	}{
		{"title stripped and short form resolved",
			"NATO Secretary General Mark Rutte met allies. Rutte said the plan was ready.",
			[]string{"Mark Rutte", "NATO"}, []string{"Rutte", "Secretary General"}},
		{"sentence-initial common words",
			"Police said the man fled. Investigators believe he acted alone. The Pentagon declined to comment.",
			[]string{"Pentagon"}, []string{"Police", "Investigators", "The Pentagon", "The"}},
		{"months and weekdays",
			"On Monday, officials in Tulsa, Oklahoma, said the trial starts in March.",
			[]string{"Tulsa", "Oklahoma"}, []string{"Monday", "March", "On Monday"}},
		{"street, hospital and person with age",
			"Braison Howard, 3, was taken to Ben Taub General Hospital from a home on Dover Drive.",
			[]string{"Braison Howard", "Ben Taub General Hospital", "Dover Drive"}, nil},
		{"dateline",
			"KANSAS CITY, Mo. - A shoot-out left one person dead, police said.",
			[]string{"Kansas City", "Missouri"}, []string{"KANSAS CITY"}},
		{"shouting is no name",
			"I would NEVER leave a gun out. LOCK UP YOUR WEAPONS.",
			nil, []string{"NEVER", "LOCK UP YOUR WEAPONS", "LOCK"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := entityMap(Entities(tt.text))
			for _, w := range tt.want {
				if _, ok := got[w]; !ok {
					t.Errorf("missing %q in %v", w, got)
				}
			}
			for _, a := range tt.absent {
				if _, ok := got[a]; ok {
					t.Errorf("unexpected %q in %v", a, got)
				}
			}
		})
	}
}

func findQuote(qs []Quote, prefix string) (Quote, bool) {
	for _, q := range qs {
		if strings.HasPrefix(normKey(q.Text), normKey(prefix)) {
			return q, true
		}
	}
	return Quote{}, false
}

func TestQuotesSeeds(t *testing.T) {
	tests := []struct {
		seed, prefix, speaker, desc string
	}{
		{"seed_selling_weapons", "We're sending weapons to NATO", "Donald Trump", ""},
		{"seed_selling_weapons", "So what we're doing is", "Donald Trump", ""},
		{"seed_selling_weapons", "It's a lot faster to move something", "Marco Rubio", ""},
		{"seed_selling_weapons", "There is no silence in Ukraine", "Volodymyr Zelenskyy", ""},
		{"seed_selling_weapons", "We have the best weapons", "Lindsey Graham", ""},
		{"seed_selling_weapons", "Allies continue to work", "Allison Hart", ""},
		{"seed_selling_weapons", "killing a lot of people", "Donald Trump", ""},
		{"seed_nato_plan", "He's shifting the burden to Europe", "Kurt Volker", ""},
		{"seed_nato_plan", "He no longer believes Putin", "", "one senior U.S. official"},
		{"seed_nato_plan", "Now the hard part begins", "", "one Pentagon official"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			_, body := seed(t, tt.seed)
			q, ok := findQuote(Quotes(body), tt.prefix)
			if !ok {
				t.Fatalf("quote %q not found", tt.prefix)
			}
			if q.Speaker != tt.speaker || q.SpeakerDesc != tt.desc {
				t.Errorf("speaker = %q (%q), want %q (%q)", q.Speaker, q.SpeakerDesc, tt.speaker, tt.desc)
			}
		})
	}
	// "within days" is a fragment, not a quotation
	_, body := seed(t, "seed_nato_plan")
	if _, ok := findQuote(Quotes(body), "within days"); ok {
		t.Error("fragment \"within days\" reported as a quotation")
	}
}

func TestQuotesRules(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Quote // Text prefix, Speaker, SpeakerDesc
	}{
		{"curly, said after",
			"Police Sgt. Rudy Lopez spoke at the scene.\n\n“He’s being detained now for his involvement,” Lopez said.",
			[]Quote{{Text: "He’s being detained now", Speaker: "Rudy Lopez"}}},
		{"said before the name",
			"Jodi Silva spoke to reporters.\n\n\"George grabs the gun from the friend and gets shot,\" said Houston police spokeswoman Jodi Silva.",
			[]Quote{{Text: "George grabs the gun", Speaker: "Jodi Silva"}}},
		{"paraphrase is no quote",
			"Mayor Jane Smith said the city would rebuild the bridge within a year.",
			nil},
		{"unnamed speaker stays unattributed",
			"\"We heard a bunch of gunfire and then it stopped,\" the woman said.",
			[]Quote{{Text: "We heard a bunch of gunfire", SpeakerDesc: "the woman"}}},
		{"no attribution at all",
			"Carney is accused of \"recklessly pointing a firearm in the direction of the victim.\"",
			[]Quote{{Text: "recklessly pointing a firearm"}}},
		{"according to",
			"Officers found a party, “where several subjects were fighting and shots were heard,” according to Sheriff Chad Bianco.",
			[]Quote{{Text: "where several subjects were fighting", Speaker: "Chad Bianco"}}},
		{"single straight marks and apostrophes",
			"'It's a lot faster to move something from Germany,' Secretary of State Marco Rubio told reporters. Trump's plan is new.",
			[]Quote{{Text: "It's a lot faster", Speaker: "Marco Rubio"}}},
		{"pronoun resolves to the person named before",
			"Travis Housley has known Wilson since seventh grade.\n\n\"He was a real quiet dude, he stayed to himself,\" he said.",
			[]Quote{{Text: "He was a real quiet dude", Speaker: "Travis Housley"}}},
		{"quote over two paragraphs",
			"Trooper Robert Hicks released a statement:\n\n\"At about 10 a.m. an eviction was taking place.\n\n\"All involved parties have been identified and there is no threat.\"",
			[]Quote{{Text: "At about 10 a.m. an eviction was taking place. All involved parties", Speaker: "Robert Hicks"}}},
		{"second sentence of the same speaker",
			"“There was a disturbance inside the location,” Lt. Rudy Lopez said. “It does not appear that this was gang-related.”",
			[]Quote{{Text: "There was a disturbance", Speaker: "Rudy Lopez"}, {Text: "It does not appear", Speaker: "Rudy Lopez"}}},
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

func TestFiguresSeeds(t *testing.T) {
	_, nato := seed(t, "seed_nato_plan")
	_, sell := seed(t, "seed_selling_weapons")
	in := mustStory(t, []Article{
		{ID: 1, Text: nato, Outlet: "Daily8"},
		{ID: 2, Text: sell, Outlet: "Yomiuri Shimbun"},
	})
	want := []Figure{
		{Value: "12–13", What: "Patriot batteries", SaidBy: "Kurt Volker", Outlet: "Daily8"},
		{Value: "an additional 10", What: "Patriot systems and missiles", SaidBy: "Volodymyr Zelenskyy", Outlet: "Yomiuri Shimbun"},
	}
	// "Germany is ready to provide two systems, …, he said": the source is a
	// pronoun resolved from another sentence, so the figure is not shown.
	unsourced := Figure{Value: "two", What: "systems", SaidBy: "Volodymyr Zelenskyy", Outlet: "Yomiuri Shimbun"}
	for _, f := range in.Figures {
		if f == unsourced {
			t.Errorf("figure whose source is only a pronoun: %+v", f)
		}
	}
	for _, w := range want {
		found := false
		for _, f := range in.Figures {
			if f == w {
				found = true
			}
		}
		if !found {
			t.Errorf("missing figure %+v in %+v", w, in.Figures)
		}
	}
	for _, f := range in.Figures {
		if f.SaidBy == "" || f.What == "" {
			t.Errorf("figure without source or subject: %+v", f)
		}
	}
}

func TestStorySeeds(t *testing.T) {
	nt, nato := seed(t, "seed_nato_plan")
	st, sell := seed(t, "seed_selling_weapons")
	arts := []Article{
		{ID: 1, Title: nt, Text: nato, Outlet: "Daily8", Published: time.Date(2025, 7, 15, 0, 0, 0, 0, time.UTC)},
		{ID: 2, Title: st, Text: sell, Outlet: "Yomiuri Shimbun", Published: time.Date(2025, 7, 11, 0, 0, 0, 0, time.UTC)},
		// a syndicated copy of the AP story: adds its outlet, not its sentences
		{ID: 3, Title: st, Text: sell, Outlet: "AP News", CopyOf: 2},
	}
	in := mustStory(t, arts)
	if n := len(in.Summary); n < 3 || n > 5 {
		t.Fatalf("summary has %d sentences, want 3-5: %+v", n, in.Summary)
	}
	outletsSeen := map[string]bool{}
	for i, s := range in.Summary {
		if len(s.Outlets) == 0 {
			t.Errorf("summary sentence %d names no outlet", i)
		}
		for _, o := range s.Outlets {
			outletsSeen[o] = true
		}
		for j := 0; j < i; j++ {
			if normKey(in.Summary[j].Text) == normKey(s.Text) {
				t.Errorf("summary repeats %q", s.Text)
			}
		}
	}
	if !outletsSeen["Daily8"] || !outletsSeen["Yomiuri Shimbun"] {
		t.Errorf("summary should draw on both outlets, got %v", outletsSeen)
	}
	if !outletsSeen["AP News"] {
		t.Errorf("sentences from the syndicated original should list the copy's outlet too, got %v", outletsSeen)
	}
	q, ok := findQuote(in.Quotes, "We're sending weapons to NATO")
	if !ok {
		t.Fatal("merged quotes lack Trump's")
	}
	if q.Speaker != "Donald Trump" || len(q.Outlets) != 2 {
		t.Errorf("Trump quote = %+v, want speaker Donald Trump carried by 2 outlets", q)
	}
	for i := range in.Quotes {
		for j := 0; j < i; j++ {
			if normKey(in.Quotes[i].Text) == normKey(in.Quotes[j].Text) {
				t.Errorf("quote listed twice: %q", in.Quotes[i].Text)
			}
		}
	}
	ents := entityMap(in.Entities)
	if _, ok := ents["Trump"]; ok {
		t.Error("story entities keep the short form \"Trump\" next to \"Donald Trump\"")
	}
	if _, ok := ents["Donald Trump"]; !ok {
		t.Error("story entities lack Donald Trump")
	}
	if n := len(in.Hashtags); n < 3 || n > 8 {
		t.Errorf("hashtags = %v, want 3-8", in.Hashtags)
	}
	for _, want := range []string{"#NATO", "#Ukraine", "#Patriot"} {
		if !contains(in.Hashtags, want) {
			t.Errorf("hashtags %v lack %s", in.Hashtags, want)
		}
	}
	if len(in.Terms) == 0 {
		t.Error("no terms for related-story matching")
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestArticleInsight(t *testing.T) {
	title, body := seed(t, "seed_selling_weapons")
	in, points, err := ArticleInsight(context.Background(), Article{ID: 7, Title: title, Text: body, Outlet: "Yomiuri Shimbun"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(points); n < 2 || n > 3 {
		t.Errorf("key points = %d, want 2-3: %v", n, points)
	}
	if in.Summary != nil {
		t.Error("article insight carries a story summary")
	}
	if n := len(in.Hashtags); n < 3 || n > 8 {
		t.Errorf("hashtags = %v, want 3-8", in.Hashtags)
	}
	if len(in.Quotes) == 0 || in.Quotes[0].Outlets[0] != "Yomiuri Shimbun" {
		t.Errorf("quotes should name the outlet: %+v", in.Quotes)
	}
}

func TestHashtag(t *testing.T) {
	for in, want := range map[string]string{"Donald Trump": "#DonaldTrump", "NATO": "#NATO", "U.S.": "#US", "F-16": "#F16", "weapon": "#Weapon"} {
		if got := hashtag(in); got != want {
			t.Errorf("hashtag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRelated(t *testing.T) {
	now := time.Date(2025, 7, 20, 0, 0, 0, 0, time.UTC)
	self := Signature{StoryID: 1, Entities: []string{"NATO", "Ukraine", "Donald Trump", "Patriot"}, Terms: []string{"weapon", "patriot", "nato", "ukraine"}, Updated: now}
	cands := []Signature{
		self, // itself: never related
		{StoryID: 2, Entities: []string{"NATO", "Ukraine", "Patriot"}, Terms: []string{"weapon", "patriot"}, Updated: now.Add(-48 * time.Hour)},
		{StoryID: 3, Entities: []string{"Donald Trump", "Ukraine"}, Terms: []string{"weapon", "tariff"}, Updated: now.Add(-1 * time.Hour)},
		{StoryID: 4, Entities: []string{"Hawthorne", "Cerise Avenue"}, Terms: []string{"weapon", "shooting"}, Updated: now}, // a term only
		{StoryID: 5, Entities: []string{"Ukraine", "Kharkiv", "Odesa", "Russia", "Shahed", "Kyiv", "Lviv", "Crimea"}, Terms: []string{"drone"}, Updated: now},
	}
	got := Related(self, cands, 5)
	want := []int64{3, 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Related = %v, want %v (related ones, most recent first)", got, want)
	}
	if got := Related(self, cands, 1); fmt.Sprint(got) != "[2]" {
		t.Errorf("Related limit 1 = %v, want the best scoring [2]", got)
	}
	if RelatedScore(self, cands[1]) <= RelatedScore(self, cands[2]) {
		t.Error("more shared entities should score higher")
	}
}

func TestFiguresRules(t *testing.T) {
	tests := []struct {
		text string
		want []Figure
	}{
		{"Volker estimates Ukraine could receive 12-13 Patriot batteries, though deliveries take time.",
			[]Figure{{Value: "12-13", What: "Patriot batteries", SaidBy: "Volker"}}},
		{"Four people were killed in the shooting, police said.",
			[]Figure{{Value: "Four", What: "people", SaidBy: "police"}}},
		// ages, times, years and unattributed numbers are not reported
		{"A 20-year-old man was shot at 10:30 p.m. in 2013 near 3 houses.", nil},
	}
	for _, tt := range tests {
		got := analyze(tt.text).figures()
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("figures(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}
