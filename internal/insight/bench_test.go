package insight

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchStory builds a 20-article story from the two seed articles: each
// outlet's version drops and reorders paragraphs, so the articles overlap
// heavily without being identical, as rewrites of one wire story do.
func benchStory(b *testing.B) []Article {
	nt, nato := seed(b, "seed_nato_plan")
	st, sell := seed(b, "seed_selling_weapons")
	var arts []Article
	for i := 0; i < 20; i++ {
		title, body := nt, nato
		if i%2 == 1 {
			title, body = st, sell
		}
		paras := strings.Split(strings.TrimSpace(body), "\n")
		drop := i % len(paras)
		var kept []string
		for j, p := range paras {
			if j != drop {
				kept = append(kept, p)
			}
		}
		r := (i / 2) % len(kept)
		kept = append(kept[r:], kept[:r]...)
		arts = append(arts, Article{
			ID: int64(i + 1), Title: title, Text: strings.Join(kept, "\n"),
			Outlet:    fmt.Sprintf("Outlet %d", i+1),
			Published: time.Date(2025, 7, 11, i, 0, 0, 0, time.UTC),
		})
	}
	return arts
}

func BenchmarkStory(b *testing.B) {
	arts := benchStory(b)
	size := 0
	for _, a := range arts {
		size += len(a.Text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := mustStory(b, arts)
		if len(in.Summary) < 3 {
			b.Fatalf("summary of %d sentences", len(in.Summary))
		}
	}
}
