package story

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// synthDocs makes n full-text articles (about 2,000 characters, like the
// local-news evaluation set) in stories of a few articles each: common words
// drawn from a Zipf distribution, plus per-story names, places and numbers.
func synthDocs(n int, seed int64) []Doc {
	r := rand.New(rand.NewSource(seed))
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "ri", "an", "el", "or", "us", "ta", "be"}
	word := func(k int) string {
		var b strings.Builder
		for i := 0; i < 2+k%3; i++ {
			b.WriteString(syll[(k/(i+1)+i*7)%len(syll)])
		}
		return fmt.Sprintf("%s%d", b.String(), k%7)
	}
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = word(i)
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	name := func() string {
		w := word(r.Intn(50000) + 20000)
		return strings.ToUpper(w[:1]) + w[1:]
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []Doc
	for len(docs) < n {
		names := []string{name() + " " + name(), name(), name() + " Avenue", name() + " County"}
		age := 18 + r.Intn(60)
		t := start.Add(time.Duration(len(docs)) * 3 * time.Minute)
		for k := 0; k < 1+r.Intn(4) && len(docs) < n; k++ {
			var b strings.Builder
			for p := 0; p < 6; p++ {
				for s := 0; s < 3; s++ {
					b.WriteString(strings.ToUpper(vocab[zipf.Uint64()][:1]))
					for w := 0; w < 16; w++ {
						if r.Intn(9) == 0 {
							fmt.Fprintf(&b, " %s", names[r.Intn(len(names))])
						} else {
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
				Title:     fmt.Sprintf("%s %s in %s", vocab[zipf.Uint64()], vocab[zipf.Uint64()], names[1]),
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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		// keep stream time moving forward across passes
		d.Published = d.Published.Add(time.Duration(i/len(docs)) * 90 * 24 * time.Hour)
		c.Add(d)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(chars)/float64(len(docs)), "chars/doc")
}
