package story

import (
	"cmp"
	"fmt"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/text"
)

var t0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

// background gives the clusterer a realistic document-frequency table so that
// generic crime and weather words are known to be common.
func background(c *Clusterer, n int) int64 {
	places := []string{"Dayton", "Tulsa", "Fresno", "Omaha", "Tacoma", "Mobile", "Boise", "Toledo", "Akron", "Reno"}
	var id int64 = 1000
	for i := 0; i < n; i++ {
		p := places[i%len(places)]
		id++
		c.Add(Doc{
			ID:    id,
			Title: fmt.Sprintf("Man shot in %s on Tuesday night", p),
			Text: fmt.Sprintf("Police said a man was shot in %s late Tuesday. The victim, %d, was taken to a hospital "+
				"with injuries that were not life-threatening. Officers are investigating and no arrests have been made. "+
				"Anyone with information is asked to call police. The shooting happened near %s Street.",
				p, 20+i%50, strings.ToUpper(p[:1])+fmt.Sprint(i)),
			Source:    fmt.Sprintf("outlet%d.example", i%7),
			Lang:      "en",
			Published: t0.Add(-time.Duration(n-i) * 40 * time.Minute),
		})
	}
	return id
}

func TestSameTopicDifferentTownsStayApart(t *testing.T) {
	c := New(DefaultConfig(), 1)
	background(c, 150)
	a1 := c.Add(Doc{ID: 1, Title: "Two wounded in shooting at Hawthorne party", Lang: "en", Source: "a.example", Published: t0,
		Text: "HAWTHORNE — Two men were wounded early Sunday when gunfire broke out at a birthday party on Cerise Avenue, " +
			"sheriff's deputies said. Deputy Maria Lopez said the victims, 24 and 31, were taken to Harbor-UCLA Medical Center."})
	b1 := c.Add(Doc{ID: 2, Title: "Two wounded in shooting at Riverside party", Lang: "en", Source: "b.example", Published: t0.Add(time.Hour),
		Text: "RIVERSIDE — Two men were wounded early Sunday when gunfire broke out at a house party on Magnolia Street, " +
			"police said. Officer Ryan Railsback said the victims, 19 and 22, were taken to Riverside Community Hospital."})
	a2 := c.Add(Doc{ID: 3, Title: "Deputies seek gunman after Cerise Avenue party shooting", Lang: "en", Source: "c.example",
		Published: t0.Add(3 * time.Hour),
		Text: "Los Angeles County sheriff's deputies are searching for the gunman who wounded two men at a party on Cerise Avenue " +
			"in Hawthorne. Deputy Maria Lopez said the men, 24 and 31, are expected to survive."})
	if !a1.New || !b1.New {
		t.Fatalf("first reports of two incidents should each start a story: %+v %+v", a1, b1)
	}
	if a2.Story != a1.Story {
		t.Errorf("follow-up joined story %d, want %d (%s)", a2.Story, a1.Story, a2.Reason)
	}
	if strings.Contains(a2.Reason, "similarity") || !strings.Contains(strings.ToLower(a2.Reason), "cerise") &&
		!strings.Contains(strings.ToLower(a2.Reason), "hawthorne") && !strings.Contains(strings.ToLower(a2.Reason), "lopez") {
		t.Errorf("reason should name shared key terms, got %q", a2.Reason)
	}
}

func TestSyndicatedCopy(t *testing.T) {
	c := New(DefaultConfig(), 1)
	background(c, 50)
	body := "WASHINGTON (AP) — The Senate voted 52-47 on Thursday to confirm Jordan Ellis as secretary of the interior, " +
		"ending a months-long fight over the nominee's record on public lands. Ellis, a former governor of Montana, " +
		"pledged during hearings to review drilling leases on federal land and to expand the national park budget. " +
		"Republicans said the vote showed the chamber could still work across party lines, while several Democrats " +
		"who opposed the nomination warned that Ellis would favor ranchers over conservation groups."
	orig := c.Add(Doc{ID: 1, Title: "Senate confirms Jordan Ellis as interior secretary", Text: body, Lang: "en",
		Source: "apnews.com", Published: t0})
	cp := c.Add(Doc{ID: 2, Title: "Senate confirms Ellis as interior secretary", Lang: "en", Source: "localpaper.example",
		Published: t0.Add(2 * time.Hour), Text: body + "\n\nCopyright 2025 The Associated Press. All rights reserved."})
	other := c.Add(Doc{ID: 3, Title: "Senate confirms new interior secretary", Lang: "en", Source: "other.example",
		Published: t0.Add(3 * time.Hour),
		Text: "Lawmakers approved Jordan Ellis on Thursday after a long fight. The former Montana governor takes over an agency " +
			"that manages a fifth of the nation's land, and conservation groups say they will watch his first decisions closely."})
	if cp.CopyOf != 1 || cp.Story != orig.Story {
		t.Errorf("copy: got CopyOf=%d story=%d, want CopyOf=1 story=%d", cp.CopyOf, cp.Story, orig.Story)
	}
	if other.CopyOf != 0 {
		t.Errorf("independent article marked as copy of %d", other.CopyOf)
	}
	// Same boilerplate body (a paywall) under different headlines is not a copy.
	wall := strings.Repeat("Subscribe now to keep reading. Already a subscriber? Sign in to your account to continue. ", 6)
	c.Add(Doc{ID: 4, Title: "Council approves new budget for parks", Text: wall, Lang: "en", Source: "x.example", Published: t0.Add(4 * time.Hour)})
	w2 := c.Add(Doc{ID: 5, Title: "Storm knocks out power across the valley", Text: wall, Lang: "en", Source: "x.example", Published: t0.Add(5 * time.Hour)})
	if w2.CopyOf != 0 {
		t.Errorf("paywall pages with different headlines marked as copies (CopyOf=%d)", w2.CopyOf)
	}
}

func TestMergeWhenEvidenceBridges(t *testing.T) {
	cfg := DefaultConfig()
	// Strict joining, so two partial views of one event start apart.
	cfg.ShortThreshold, cfg.MidThreshold, cfg.Threshold = 0.45, 0.45, 0.45
	c := New(cfg, 1)
	background(c, 100)
	a := c.Add(Doc{ID: 1, Title: "Fire destroys Acme warehouse in Springfield", Lang: "en", Published: t0, Source: "a.example",
		Text: "A fire destroyed the Acme Logistics warehouse on Kessler Road in Springfield overnight. Fire Chief Dana Whitmore " +
			"said crews fought the blaze for six hours."})
	b := c.Add(Doc{ID: 2, Title: "Acme Logistics layoffs loom after Kessler Road blaze", Lang: "en", Published: t0.Add(time.Hour), Source: "b.example",
		Text: "Acme Logistics told 240 workers at its Kessler Road site that jobs are at risk. Union leader Tom Brandt " +
			"asked the company to keep paying staff while the site is rebuilt."})
	if a.Story == b.Story {
		t.Skip("views joined directly; nothing to merge in this configuration")
	}
	bridge := c.Add(Doc{ID: 3, Title: "Springfield warehouse fire: Acme Logistics workers fear for jobs", Lang: "en",
		Published: t0.Add(2 * time.Hour), Source: "c.example",
		Text: "The fire that destroyed the Acme Logistics warehouse on Kessler Road in Springfield has left 240 workers " +
			"fearing for their jobs. Fire Chief Dana Whitmore said the blaze burned for six hours; union leader Tom Brandt " +
			"asked Acme Logistics to keep paying staff."})
	merged := append([]int64{bridge.Story}, bridge.Merged...)
	if !contains(merged, a.Story) || !contains(merged, b.Story) {
		t.Fatalf("bridge joined %d merging %v; want stories %d and %d together", bridge.Story, bridge.Merged, a.Story, b.Story)
	}
	if len(bridge.Merged) != 1 {
		t.Errorf("Merged = %v, want exactly the other story", bridge.Merged)
	}
	// The merged-away story is gone: a further article lands in the survivor.
	d := c.Add(Doc{ID: 4, Title: "Acme Logistics to rebuild Kessler Road warehouse", Lang: "en", Published: t0.Add(5 * time.Hour),
		Source: "d.example", Text: "Acme Logistics will rebuild its Springfield warehouse on Kessler Road and keep paying its 240 workers, " +
			"the company said after talks with union leader Tom Brandt."})
	if d.Story != bridge.Story {
		t.Errorf("later article went to %d, want surviving story %d", d.Story, bridge.Story)
	}
}

func contains(xs []int64, x int64) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestEvictionBoundsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("long stream")
	}
	cfg := DefaultConfig()
	cfg.DFHalfLife = 1000 // let document frequencies reach their steady state quickly
	const perDay = 50
	docs := synthDocs(12000, 7)
	for i := range docs {
		docs[i].Published = t0.Add(time.Duration(i) * 24 * time.Hour / perDay)
	}
	heap := func() float64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc)
	}
	base := heap() // the documents themselves
	c := New(cfg, 1)
	maxStories := 0
	var used []float64
	for i, d := range docs {
		c.Add(d)
		maxStories = max(maxStories, c.Stories())
		if (i+1)%6000 == 0 {
			used = append(used, heap()-base)
		}
	}
	// The window holds about Window×perDay documents' stories, plus one
	// eviction period (256 documents).
	perWindow := int(cfg.Window.Hours()/24) * perDay
	if maxStories > perWindow+256 {
		t.Errorf("hot stories peaked at %d, want at most %d", maxStories, perWindow+256)
	}
	// Stories leave with the window; the remaining tables (word cache,
	// capitalisation and outlet statistics) have caps and only creep while the
	// stream's vocabulary saturates. A leak would double with the stream.
	if used[1] > 1.4*used[0] {
		t.Errorf("clusterer memory grew from %.0f to %.0f bytes while the stream doubled", used[0], used[1])
	}
}

func TestSeedRestoresStories(t *testing.T) {
	c := New(DefaultConfig(), 1)
	c.Seed(Doc{ID: 1, Title: "Flooding closes Route 9 in Millbrook", Lang: "en", Published: t0,
		Text: "Heavy rain flooded Route 9 in Millbrook on Monday, and the county closed the road near Dutchess Avenue."}, 40)
	next := c.Add(Doc{ID: 2, Title: "Route 9 in Millbrook reopens after flooding", Lang: "en", Published: t0.Add(5 * time.Hour),
		Text: "The county reopened Route 9 in Millbrook near Dutchess Avenue on Monday evening after floodwater receded."})
	if next.Story != 40 || next.New {
		t.Errorf("follow-up went to story %d (new=%v), want seeded story 40", next.Story, next.New)
	}
	fresh := c.Add(Doc{ID: 3, Title: "Orchestra names new conductor", Lang: "en", Published: t0.Add(6 * time.Hour),
		Text: "The Hudson Valley Philharmonic named Ilse Marquardt its music director on Monday."})
	if !fresh.New || fresh.Story <= 40 {
		t.Errorf("new story got ID %d, want a fresh ID above the seeded 40", fresh.Story)
	}
	if next.Headline == "" {
		t.Error("assignment has no headline")
	}
}

func TestThresholdAnchors(t *testing.T) {
	c := New(DefaultConfig(), 1)
	cfg := c.cfg
	for _, tt := range []struct {
		n    int
		want float64
	}{
		{0, cfg.ShortThreshold}, {cfg.ShortTokens, cfg.ShortThreshold}, {cfg.MidTokens, cfg.MidThreshold},
		{cfg.LongTokens, cfg.Threshold}, {10 * cfg.LongTokens, cfg.Threshold},
	} {
		if got := c.threshold(tt.n); got != tt.want {
			t.Errorf("threshold(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	mid := c.threshold((cfg.ShortTokens + cfg.MidTokens) / 2)
	if mid <= min(cfg.ShortThreshold, cfg.MidThreshold) || mid >= max(cfg.ShortThreshold, cfg.MidThreshold) {
		t.Errorf("threshold between anchors = %v, not interpolated", mid)
	}
}

func TestScorePrefersBreadthAndRecency(t *testing.T) {
	now := t0
	broad := Score(12, 4, 20, now.Add(-3*time.Hour), now.Add(-time.Hour), now)
	narrow := Score(1, 1, 20, now.Add(-3*time.Hour), now.Add(-time.Hour), now)
	stale := Score(12, 4, 20, now.Add(-50*time.Hour), now.Add(-48*time.Hour), now)
	if !(broad > narrow) {
		t.Errorf("breadth: %v !> %v", broad, narrow)
	}
	if !(broad > stale) {
		t.Errorf("recency: %v !> %v", broad, stale)
	}
	fast := Score(5, 2, 30, now.Add(-time.Hour), now, now)
	slow := Score(5, 2, 30, now.Add(-30*time.Hour), now, now)
	if !(fast > slow) {
		t.Errorf("velocity: %v !> %v", fast, slow)
	}
	if Score(3, 1, 0, now, now, now) != 0 {
		t.Error("a story without articles should score 0")
	}
}

func TestOutlet(t *testing.T) {
	for in, want := range map[string]string{
		"chicago.cbslocal.com":    "cbslocal.com",
		"dnainfo.com:80":          "dnainfo.com",
		"www.bbc.co.uk":           "bbc.co.uk",
		"news.abc.net.au":         "abc.net.au",
		"RTE.ie":                  "rte.ie",
		"Long Island Press":       "Long Island Press",
		"Pacific Business News (": "Pacific Business News (",
		"":                        "",
	} {
		if got := outlet(in); got != want {
			t.Errorf("outlet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeadlinePrefersSpecificTitle(t *testing.T) {
	c := New(DefaultConfig(), 1)
	background(c, 80)
	body := "A man was killed and three others wounded at a New Year's Eve party on Cerise Avenue in Hawthorne, " +
		"the Los Angeles County coroner said. The victim was identified as Bernard Gillis, 20."
	a := c.Add(Doc{ID: 1, Title: "Shot in the USA: gun violence roundup", Text: body, Lang: "en", Source: "blog.example", Published: t0})
	b := c.Add(Doc{ID: 2, Title: "Bernard Gillis killed at Hawthorne New Year's party on Cerise Avenue", Lang: "en",
		Source: "paper.example", Published: t0.Add(time.Hour),
		Text: "Bernard Gillis, 20, was killed at a New Year's Eve party on Cerise Avenue in Hawthorne, and three others were wounded."})
	if b.Story != a.Story {
		t.Fatalf("second report started story %d, want %d", b.Story, a.Story)
	}
	if !strings.Contains(b.Headline, "Hawthorne") {
		t.Errorf("headline %q, want the title naming the event", b.Headline)
	}
}

func TestAddSorted(t *testing.T) {
	for _, tt := range []struct {
		a, b, want []uint64 // hashes; every weight is 1, so sums count occurrences
	}{
		{nil, nil, nil},
		{[]uint64{1, 3}, nil, []uint64{1, 3}},
		{nil, []uint64{2}, []uint64{2}},
		{[]uint64{1, 3, 5}, []uint64{2, 3, 6}, []uint64{1, 2, 3, 5, 6}},
		{[]uint64{1, 2}, []uint64{1, 2}, []uint64{1, 2}},
		{[]uint64{5, 9}, []uint64{1, 2, 9}, []uint64{1, 2, 5, 9}},
	} {
		mk := func(hs []uint64) []term {
			var ts []term
			for _, h := range hs {
				ts = append(ts, term{h: h, w: 1})
			}
			return ts
		}
		got := addSorted(mk(tt.a), mk(tt.b))
		if len(got) != len(tt.want) {
			t.Fatalf("addSorted(%v, %v) = %v", tt.a, tt.b, got)
		}
		for i, h := range tt.want {
			w := float32(1)
			if slices.Contains(tt.a, h) && slices.Contains(tt.b, h) {
				w = 2
			}
			if got[i].h != h || got[i].w != w {
				t.Errorf("addSorted(%v, %v)[%d] = %+v, want h=%d w=%v", tt.a, tt.b, i, got[i], h, w)
			}
		}
	}
}

func TestSortByHash(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 2, 13, 80, 500} {
		for _, space := range []int64{3, 1 << 40} { // with and without repeated keys
			ts := make([]term, n)
			for i := range ts {
				ts[i] = term{h: uint64(r.Int63n(space)), w: float32(i)}
			}
			want := slices.Clone(ts)
			slices.SortStableFunc(want, func(a, b term) int { return cmp.Compare(a.h, b.h) })
			sortByHash(ts)
			for i := range ts {
				if ts[i].h != want[i].h {
					t.Fatalf("n=%d: position %d has hash %d, want %d", n, i, ts[i].h, want[i].h)
				}
			}
		}
	}
}

// TestAnalyzeLowercasesOnce: tokens from the once-lowercased body equal
// tokens of each paragraph tokenized on its own, whatever the spacing.
func TestAnalyzeLowercasesOnce(t *testing.T) {
	for _, body := range []string{
		"  Foo Bar said.\n\nÉcole du Nord\r\n  x ÇA 12,500 \n",
		"One line only",
		"Trailing newline\n",
		"\n\n  İstanbul KELVIN \u212a sign\nNext Line",
	} {
		a := newAnalyzer(&Config{MaxBodyTokens: 1000, MaxTerms: 10, LeadTokens: 5})
		a.analyze(&Doc{Title: "T", Text: body, Lang: "en"}, newDF(0))
		want := text.Tokenize("T")
		for _, line := range strings.Split(body, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				n := len(want)
				want = text.AppendTokens(want, line)
				want[n].Start = true
			}
		}
		if len(a.toks) != len(want) {
			t.Fatalf("%q: %d tokens, want %d", body, len(a.toks), len(want))
		}
		for i := range want {
			if a.toks[i].Text != want[i].Text {
				t.Errorf("%q: token %d = %q, want %q", body, i, a.toks[i].Text, want[i].Text)
			}
		}
	}
}
