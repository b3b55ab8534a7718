package extraction

import (
	"math"
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ,.! ", nil},
		{"Hello, world!", []string{"Hello", "world"}},
		{"naïve café 東京 x_y 3.14", []string{"naïve", "café", "東京", "x_y", "3", "14"}},
		{"don’t stop", []string{"don", "t", "stop"}},
		// Python's \w does not match combining marks (category Mn).
		{"cafe\u0301 ok", []string{"cafe", "ok"}},
		{"end", []string{"end"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShingles(t *testing.T) {
	tests := []struct {
		in   []string
		want map[string]int
	}{
		{nil, map[string]int{}},
		{[]string{"a", "b"}, map[string]int{"a\x00b": 1}},
		{[]string{"a", "b", "c", "d"}, map[string]int{"a\x00b\x00c\x00d": 1}},
		{[]string{"a", "b", "c", "d", "a", "b", "c", "d"}, map[string]int{
			"a\x00b\x00c\x00d": 2, "b\x00c\x00d\x00a": 1, "c\x00d\x00a\x00b": 1, "d\x00a\x00b\x00c": 1,
		}},
	}
	for _, tt := range tests {
		if got := Shingles(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Shingles(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCompare(t *testing.T) {
	tests := []struct {
		name         string
		truth, pred  string
		want         Counts
		prec, recall float64
	}{
		// abcd, bcde vs abcd: TP 1, FN 1 -> halves.
		{"missing tail", "a b c d e", "a b c d", Counts{TP: 0.5, FN: 0.5}, 1, 0.5},
		{"identical", "a b c d e", "a, b. c d e!", Counts{TP: 1}, 1, 1},
		{"extra tail", "a b c d", "a b c d e", Counts{TP: 0.5, FP: 0.5}, 0.5, 1},
		// abcd x2, bcda, cdab, dabc vs abcd: TP 1, FN 4.
		{"multiset", "a b c d a b c d", "a b c d", Counts{TP: 0.2, FN: 0.8}, 1, 0.2},
		{"empty prediction", "a b c d", "", Counts{FN: 1}, 0, 0},
		{"empty truth", "", "a b", Counts{FP: 1}, 0, 0},
		{"both empty", "", "", Counts{}, 1, 1},
		{"case differs", "Hello world", "hello world", Counts{FP: 0.5, FN: 0.5}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.truth, tt.pred)
			if !near(c.TP, tt.want.TP) || !near(c.FP, tt.want.FP) || !near(c.FN, tt.want.FN) {
				t.Errorf("Compare = %+v, want %+v", c, tt.want)
			}
			if !near(c.Precision(), tt.prec) || !near(c.Recall(), tt.recall) {
				t.Errorf("P/R = %v/%v, want %v/%v", c.Precision(), c.Recall(), tt.prec, tt.recall)
			}
		})
	}
}

func TestScore(t *testing.T) {
	pairs := []Pair{
		{"a b c d e", "a b c d e"}, // P 1, R 1, exact
		{"a b c d e", "a b c d"},   // P 1, R 0.5
		{"a b c d", ""},            // not in the precision mean; R 0
	}
	s := Score(pairs)
	want := Scores{Precision: 1, Recall: 0.5, F1: 2 * 0.5 / 1.5, Accuracy: 1.0 / 3}
	if !near(s.Precision, want.Precision) || !near(s.Recall, want.Recall) ||
		!near(s.F1, want.F1) || !near(s.Accuracy, want.Accuracy) {
		t.Errorf("Score = %+v, want %+v", s, want)
	}

	// F1 comes from the means, not from per-document F1 values:
	// doc1 P 0.5 R 1, doc2 P 1 R 0.5 -> means 0.75/0.75 -> F1 0.75 (mean of F1s would be 2/3).
	s = Score([]Pair{{"a b c d", "a b c d e"}, {"a b c d e", "a b c d"}})
	if !near(s.F1, 0.75) {
		t.Errorf("F1 = %v, want 0.75", s.F1)
	}

	if s := Score(nil); s != (Scores{}) {
		t.Errorf("Score(nil) = %+v, want zero", s)
	}
}
