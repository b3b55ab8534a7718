package story

import (
	"fmt"
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"time"
)

// synthDocs makes n full-text articles (about 2,000 characters, like the
// local-news evaluation set) in stories of a few articles each: common words
// drawn from a Zipf distribution, plus per-story names, places and numbers.
func synthDocs(n int, seed int64) []Doc {
	r := rand.New(rand.NewSource(seed))
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "ri", "an", "el", "or", "us", "ta", "be",
		"do", "gu", "hi", "ja", "pe", "qui", "si", "zo", "fa", "wen"}
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(syll[r.Intn(len(syll))])
		}
		return b.String()
	}
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = word(2 + r.Intn(3))
	}
	// The most frequent words of real text are function words.
	copy(vocab, strings.Fields("the of and to a in that is was he for it with as his on be at by had "+
		"are but from or have an they which one you were her all she there would their we him been has "+
		"when who will more no if out so said what up its about into than them can only other new some "+
		"could time these two may then do first any my now such like our over man me even most made after"))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	name := func() string {
		w := word(3)
		return strings.ToUpper(w[:1]) + w[1:]
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []Doc
	for len(docs) < n {
		names := []string{name() + " " + name(), name(), name() + " Avenue", name() + " County"}
		topic := make([]string, 30) // the event's own vocabulary
		for i := range topic {
			topic[i] = vocab[2000+r.Intn(len(vocab)-2000)]
		}
		age := 18 + r.Intn(60)
		t := start.Add(time.Duration(len(docs)) * 3 * time.Minute)
		for k := 0; k < 1+r.Intn(4) && len(docs) < n; k++ {
			var b strings.Builder
			for p := 0; p < 6; p++ {
				for s := 0; s < 3; s++ {
					b.WriteString(strings.ToUpper(vocab[zipf.Uint64()][:1]))
					for w := 0; w < 16; w++ {
						switch x := r.Intn(10); {
						case x == 0:
							fmt.Fprintf(&b, " %s", names[r.Intn(len(names))])
						case x < 4:
							fmt.Fprintf(&b, " %s", topic[r.Intn(len(topic))])
						default:
							fmt.Fprintf(&b, " %s", vocab[zipf.Uint64()])
						}
					}
					if s == 0 {
						fmt.Fprintf(&b, " aged %d", age)
					}
					b.WriteString(". ")
				}
				b.WriteString("\n\n")
			}
			docs = append(docs, Doc{
				ID:        int64(len(docs) + 1),
				Title:     fmt.Sprintf("%s %s in %s", topic[r.Intn(len(topic))], vocab[zipf.Uint64()], names[1]),
				Text:      b.String(),
				Source:    fmt.Sprintf("site%d.example", r.Intn(40)),
				Lang:      "en",
				Published: t.Add(time.Duration(k) * time.Hour),
			})
		}
	}
	return docs
}

// BenchmarkClusterer measures Add (analysis included) on full-text articles
// and reports documents per second.
func BenchmarkClusterer(b *testing.B) {
	docs := synthDocs(20000, 1)
	var chars int
	for _, d := range docs {
		chars += len(d.Title) + len(d.Text)
	}
	c := New(DefaultConfig(), 1)
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		// keep stream time moving forward across passes
		d.Published = d.Published.Add(time.Duration(i/len(docs)) * 90 * 24 * time.Hour)
		c.Add(d)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	// On a shared machine wall time overstates cost; CPU time of this
	// process (one goroutine does the work) is the steadier figure.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "docs/cpu-s")
	}
	b.ReportMetric(float64(chars)/float64(len(docs)), "chars/doc")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTracker measures both levels together (events, then storylines
// for new events and forced joins for the rest), analysis included.
func BenchmarkTracker(b *testing.B) {
	docs := synthDocs(20000, 1)
	tr := NewTracker(DefaultTrackerConfig(), 1, 1)
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		d.Published = d.Published.Add(time.Duration(i/len(docs)) * 90 * 24 * time.Hour)
		tr.Add(d)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "docs/cpu-s")
	}
}
