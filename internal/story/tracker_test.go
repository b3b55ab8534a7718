package story

import (
	"runtime"
	"testing"
	"time"
)

// The texts below are written for these tests.
var (
	fireLead = "Firefighters battled a blaze that destroyed the Larkspur Mill warehouse in Dunmore on Monday night, " +
		"forcing the evacuation of forty homes on Keel Street. Fire chief Odile Marchetti said no one was hurt " +
		"and that investigators would examine the wiring of the century-old building."
	fireLead2 = "A fire gutted the historic Larkspur Mill in Dunmore late Monday. Chief Odile Marchetti told reporters " +
		"that residents of Keel Street were evacuated as a precaution and that the cause of the blaze is under investigation."
	arrestLead = "Police in Dunmore arrested a former night watchman of the Larkspur Mill on Tuesday and charged him with arson, " +
		"a week after the blaze destroyed the warehouse. Fire chief Odile Marchetti said investigators found an accelerant."
	quakeLead = "A magnitude 6.1 earthquake struck off the coast of the Vardan peninsula early Wednesday, shaking buildings " +
		"in the port city of Selm. The national seismology office said there were no immediate reports of damage."
)

func TestTrackerLevels(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
	tr := NewTracker(DefaultTrackerConfig(), 1, 1)
	add := func(id int64, title, body, source string, at time.Time) Assignment {
		return tr.Add(Doc{ID: id, Title: title, Text: body, Source: source, Lang: "en", Published: at})
	}
	fire1 := add(1, "Fire destroys Larkspur Mill warehouse in Dunmore", fireLead, "a.example", t0)
	fire2 := add(2, "Historic Larkspur Mill gutted by fire, Keel Street evacuated", fireLead2, "b.example", t0.Add(3*time.Hour))
	copyOf := add(3, "Fire destroys Larkspur Mill warehouse in Dunmore", fireLead, "c.example", t0.Add(4*time.Hour))
	quake := add(4, "Magnitude 6.1 earthquake shakes Selm", quakeLead, "a.example", t0.Add(5*time.Hour))
	claims1 := add(5, "Jobless claims fall to 210,000", fmtClaims("210,000"), "b.example", t0.Add(24*time.Hour))
	arrest := add(6, "Former watchman charged with arson in Larkspur Mill fire", arrestLead, "a.example", t0.Add(7*24*time.Hour))
	claims2 := add(7, "Jobless claims fall to 198,000", fmtClaims("198,000"), "b.example", t0.Add(8*24*time.Hour))

	if !fire1.New || fire1.Storyline == 0 {
		t.Fatalf("first report should start an event in a storyline: %+v", fire1)
	}
	if fire2.Story != fire1.Story || fire2.Storyline != fire1.Storyline {
		t.Errorf("second outlet's report of the fire: event %d storyline %d, want %d %d (%s)",
			fire2.Story, fire2.Storyline, fire1.Story, fire1.Storyline, fire2.Reason)
	}
	if copyOf.Story != fire1.Story || copyOf.CopyOf != 1 {
		t.Errorf("syndicated copy: %+v, want event %d copy of 1", copyOf, fire1.Story)
	}
	if quake.Story == fire1.Story || quake.Storyline == fire1.Storyline {
		t.Errorf("an unrelated earthquake joined the fire: %+v", quake)
	}
	if arrest.Story == fire1.Story {
		t.Errorf("an arrest a week later is a new event, joined %d (%s)", arrest.Story, arrest.Reason)
	}
	if arrest.Storyline != fire1.Storyline {
		t.Errorf("the arrest belongs to the fire's storyline %d, got %d", fire1.Storyline, arrest.Storyline)
	}
	if claims2.Story == claims1.Story {
		t.Errorf("next week's jobless claims are a new event, joined %d", claims2.Story)
	}
	if claims1.Storyline == fire1.Storyline || claims1.Storyline == quake.Storyline {
		t.Errorf("jobless claims joined an unrelated storyline: %+v", claims1)
	}
	for _, a := range []Assignment{fire1, fire2, quake, arrest} {
		if a.Reason == "" || containsDigitScore(a.Reason) {
			t.Errorf("reason %q should explain in words, not scores", a.Reason)
		}
	}
}

func fmtClaims(n string) string {
	return "Initial claims for unemployment benefits fell to " + n + " last week, the Labor Department said on Thursday, " +
		"as employers held on to workers and the labour market stayed tight despite higher interest rates."
}

func containsDigitScore(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '0' && s[i+1] == '.' && s[i+2] >= '0' && s[i+2] <= '9' {
			return true
		}
	}
	return false
}

// TestTrackerSeed: a restarted tracker continues the stored event and
// storyline instead of starting new ones, and allocates fresh ids above them.
func TestTrackerSeed(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
	tr := NewTracker(DefaultTrackerConfig(), 41, 17)
	tr.Seed(Doc{ID: 1, Title: "Fire destroys Larkspur Mill warehouse in Dunmore", Text: fireLead, Source: "a.example",
		Lang: "en", Published: t0}, 40, 16)
	got := tr.Add(Doc{ID: 2, Title: "Historic Larkspur Mill gutted by fire, Keel Street evacuated", Text: fireLead2,
		Source: "b.example", Lang: "en", Published: t0.Add(2 * time.Hour)})
	if got.Story != 40 || got.Storyline != 16 || got.New {
		t.Errorf("after restart: %+v, want event 40 storyline 16", got)
	}
	q := tr.Add(Doc{ID: 3, Title: "Magnitude 6.1 earthquake shakes Selm", Text: quakeLead, Source: "a.example",
		Lang: "en", Published: t0.Add(3 * time.Hour)})
	if q.Story != 41 || q.Storyline != 17 {
		t.Errorf("new ids after restart: event %d storyline %d, want 41 and 17", q.Story, q.Storyline)
	}
}

// TestTrackerEventSpan: the same words five days later are not the same
// event (events are bounded in time), but they are the same storyline.
func TestTrackerEventSpan(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
	tr := NewTracker(DefaultTrackerConfig(), 1, 1)
	a := tr.Add(Doc{ID: 1, Title: "Fire destroys Larkspur Mill warehouse in Dunmore", Text: fireLead, Lang: "en",
		Source: "a.example", Published: t0})
	late := tr.Add(Doc{ID: 2, Title: "Historic Larkspur Mill gutted by fire, Keel Street evacuated", Text: fireLead2,
		Lang: "en", Source: "b.example", Published: t0.Add(5 * 24 * time.Hour)})
	if late.Story == a.Story {
		t.Errorf("a report five days later joined the event (events are bounded in time): %+v", late)
	}
	if late.Storyline != a.Storyline {
		t.Errorf("but it belongs to the same storyline: %d, want %d", late.Storyline, a.Storyline)
	}
}

// TestTrackerMemoryFlat: both levels evict with their windows and the
// event-to-storyline map follows, so memory does not grow with the stream.
func TestTrackerMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("long stream")
	}
	cfg := DefaultTrackerConfig()
	cfg.Event.DFHalfLife, cfg.Storyline.DFHalfLife = 1000, 1000
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
	base := heap()
	tr := NewTracker(cfg, 1, 1)
	var used []float64
	maxMapped := 0
	for i, d := range docs {
		tr.Add(d)
		maxMapped = max(maxMapped, len(tr.lineOf))
		if (i+1)%6000 == 0 {
			t.Logf("%d docs: %.1f MB, %d mapped", i+1, (heap()-base)/1e6, len(tr.lineOf))
			used = append(used, heap()-base)
		}
	}
	perWindow := int(cfg.Event.Window.Hours()/24) * perDay
	if maxMapped > perWindow+1024+256 {
		t.Errorf("event-to-storyline map peaked at %d entries, want at most %d", maxMapped, perWindow+1024+256)
	}
	if used[1] > 1.4*used[0] {
		t.Errorf("tracker memory grew from %.0f to %.0f bytes while the stream doubled", used[0], used[1])
	}
}
