package insight

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// hostileText is n short sentences drawn from 35 words: every sentence
// shares words with every other, the worst case for a sentence graph.
func hostileText(n int, seed uint64) string {
	vocab := strings.Fields(`river stone market lamp window garden teacher engine winter harbor candle forest
	bottle mirror ladder basket thunder pillow silver meadow rocket violin pepper castle anchor saddle tunnel
	marble feather velvet copper lantern orchard canyon blanket`)
	r := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	for i := 0; i < n; i++ {
		w := vocab[r.IntN(len(vocab))]
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		for j, m := 0, 4+r.IntN(6); j < m; j++ {
			b.WriteByte(' ')
			b.WriteString(vocab[r.IntN(len(vocab))])
		}
		b.WriteString(". ")
		if i%40 == 39 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// countdownCtx reports cancellation from its limit-th look on: a
// deterministic way to cancel in the middle of the work.
type countdownCtx struct {
	context.Context
	looks, limit int
}

func (c *countdownCtx) Err() error {
	c.looks++
	if c.looks >= c.limit {
		return context.Canceled
	}
	return nil
}

func TestStoryBounded(t *testing.T) {
	cfg := DefaultConfig()
	huge := hostileText(12000, 1) // about 0.8 MB
	if len(huge) < 4*cfg.MaxArticleBytes {
		t.Fatalf("hostile text is only %d bytes", len(huge))
	}
	many := make([]Article, 100)
	for i := range many {
		many[i] = Article{ID: int64(i + 1), Text: hostileText(2000, uint64(i)), Outlet: "Outlet"}
	}
	// every sentence a quotation with a speaker: quotes are merged pairwise
	var qb strings.Builder
	for i := 0; qb.Len() < 100<<10; i++ {
		fmt.Fprintf(&qb, "“The lamp and the river stone number %d stay,” Ann Bly said.\n", i)
	}
	quoted := make([]Article, 60)
	for i := range quoted {
		quoted[i] = Article{ID: int64(i + 1), Text: qb.String(), Outlet: fmt.Sprint("Outlet ", i)}
	}
	tests := []struct {
		name      string
		arts      []Article
		originals int
		maxBytes  int
	}{
		{"one huge article", []Article{{ID: 1, Text: huge, Outlet: "A"}}, 1, cfg.MaxArticleBytes},
		{"three huge articles", []Article{{ID: 1, Text: huge, Outlet: "A"}, {ID: 2, Text: huge, Outlet: "B"}, {ID: 3, Text: huge, Outlet: "C"}},
			3, 3 * cfg.MaxArticleBytes},
		{"100 long articles", many, cfg.MaxStoryArticles, max(cfg.MaxStoryBytes, cfg.MaxStoryArticles*cfg.MinArticleBytes)},
		{"60 articles of quotations", quoted, cfg.MaxStoryArticles, max(cfg.MaxStoryBytes, cfg.MaxStoryArticles*cfg.MinArticleBytes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, run, err := cfg.story(context.Background(), tt.arts)
			if err != nil {
				t.Fatal(err)
			}
			if run.originals != tt.originals {
				t.Errorf("analysed %d articles, want %d", run.originals, tt.originals)
			}
			if run.bytes > tt.maxBytes {
				t.Errorf("analysed %d bytes, cap %d", run.bytes, tt.maxBytes)
			}
			if run.sum.cands > cfg.MaxSummaryCandidates {
				t.Errorf("summary graph of %d sentences, cap %d", run.sum.cands, cfg.MaxSummaryCandidates)
			}
			if run.quotes > cfg.MaxStoryQuotes {
				t.Errorf("merged %d quotes, cap %d", run.quotes, cfg.MaxStoryQuotes)
			}
			// merging, the graph and the selection each compare at most every pair once
			if limit := cfg.MaxSummaryCandidates * cfg.MaxSummaryCandidates; run.sum.pairs > limit {
				t.Errorf("compared %d sentence pairs, cap %d", run.sum.pairs, limit)
			}
		})
	}
}

func TestStoryCancelled(t *testing.T) {
	cfg := DefaultConfig()
	arts := []Article{{ID: 1, Text: hostileText(3000, 2), Outlet: "A"}, {ID: 2, Text: hostileText(3000, 3), Outlet: "B"}}
	_, full, err := cfg.story(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, run, err := cfg.story(ctx, arts); !errors.Is(err, context.Canceled) || run.originals != 0 {
		t.Errorf("cancelled before the start: err %v after %d articles, want context.Canceled before any", err, run.originals)
	}
	if _, _, err := cfg.ArticleInsight(ctx, arts[0]); !errors.Is(err, context.Canceled) {
		t.Errorf("ArticleInsight on a cancelled context: err %v", err)
	}
	// cancelled at each of the first looks: the work stops there
	for limit := 1; limit < 12; limit++ {
		cd := &countdownCtx{Context: context.Background(), limit: limit}
		_, run, err := cfg.story(cd, arts)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at look %d: err %v, want context.Canceled", limit, err)
		}
		if run.sum.pairs >= full.sum.pairs {
			t.Errorf("cancelled at look %d: compared %d pairs, as many as an uncancelled run (%d)", limit, run.sum.pairs, full.sum.pairs)
		}
		if cd.looks > limit {
			t.Errorf("cancelled at look %d: kept working for %d more looks", limit, cd.looks-limit)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		text string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"First para here.\nSecond para goes on.", 30, "First para here."},
		{"One sentence here. Another one that is long.", 30, "One sentence here."},
		{"wordy words without any stop at all", 20, "wordy words without"},
		{"ééééé", 3, "é"}, // never splits a character
	}
	for _, tt := range tests {
		if got := clip(tt.text, tt.max); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
		}
	}
}

// TestDefaultConfigComplete: every threshold and cap of DefaultConfig is
// set (a zero cap silently turns a feature off), and Version tells two
// configurations apart.
func TestDefaultConfigComplete(t *testing.T) {
	c := DefaultConfig()
	v := reflect.ValueOf(c)
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if (f.CanInt() && f.Int() <= 0) || (f.CanFloat() && f.Float() <= 0) {
			t.Errorf("DefaultConfig().%s = %v, want > 0", v.Type().Field(i).Name, f)
		}
	}
	d := c
	d.MaxSummaryCandidates++
	if c.Version() == d.Version() || c.Version() != DefaultConfig().Version() {
		t.Error("Version does not follow the configuration")
	}
}
