package text

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want string // Text of each token, space separated; flags in brackets
	}{
		{"Man Killed, 3 Wounded", "man[C,S] killed[C] 3[N] wounded[C]"},
		{"HAWTHORNE — The name of a 20-year-old man", "hawthorne[C,U,S] the[C,S] name of a 20[N] year old man"},
		{"in the 13500 block of Cerise Avenue. Police said", "in[S] the 13500[N] block of cerise[C] avenue[C] police[C,S] said"},
		{"Mr. Smith's car", "mr[C,S] smith[C] car"},
		{"Gillis’ hometown; O'Brien's dog", "gillis[C,S] hometown obrien[C,S] dog"},
		{"prices rose 2.4 cents to $13,500.", "prices[S] rose 2.4[N] cents to 13500[N]"},
		{"l'homme d'État", "homme[S] état[C]"},
		{"Zürich und Köln", "zürich[C,S] und köln[C]"},
		{"", ""},
	}
	for _, tt := range tests {
		var parts []string
		for _, tok := range Tokenize(tt.in) {
			var flags []string
			if tok.Cap {
				flags = append(flags, "C")
			}
			if tok.Upper {
				flags = append(flags, "U")
			}
			if tok.Start {
				flags = append(flags, "S")
			}
			if tok.Num {
				flags = append(flags, "N")
			}
			s := tok.Text
			if len(flags) > 0 {
				s += "[" + strings.Join(flags, ",") + "]"
			}
			parts = append(parts, s)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("Tokenize(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestStopAndStem(t *testing.T) {
	tests := []struct {
		lang, word string
		stop       bool
		stem       string
	}{
		{"en", "the", true, "the"},
		{"en", "said", true, "said"},
		{"en", "shootings", false, "shoot"},
		{"en", "wounded", false, "wound"},
		{"fr", "les", true, "les"},
		{"fr", "manifestations", false, "manifest"},
		{"es", "elecciones", false, "eleccion"},
		{"de", "und", true, "und"},
		{"de", "häuser", false, "häuser"}, // no German stemmer: unchanged
		{"xx", "the", false, "the"},
		{"en", "2013", false, "2013"},
	}
	for _, tt := range tests {
		if got := IsStop(tt.lang, tt.word); got != tt.stop {
			t.Errorf("IsStop(%s, %q) = %v", tt.lang, tt.word, got)
		}
		if got := Stem(tt.lang, tt.word); got != tt.stem {
			t.Errorf("Stem(%s, %q) = %q, want %q", tt.lang, tt.word, got, tt.stem)
		}
	}
	s := NewStemmer(2)
	for i := 0; i < 3; i++ {
		for _, w := range []string{"running", "shootings", "houses"} {
			if got, want := s.Stem("en", w), Stem("en", w); got != want {
				t.Fatalf("cached Stem(%q) = %q, want %q", w, got, want)
			}
		}
	}
}

func TestNames(t *testing.T) {
	text := "HAWTHORNE — A man was killed at a party in Hawthorne. " +
		"He was Bernard Gillis, according to the Los Angeles County coroner. " +
		"Police said the party was on Cerise Avenue. The NYE party ended. Police left."
	got := Names("en", Tokenize(text))
	want := []string{"hawthorne", "hawthorne", "bernard gillis", "los angeles county", "cerise avenue", "nye"}
	if !slices.Equal(got, want) {
		t.Errorf("Names = %q\nwant %q", got, want)
	}
}

func TestSimHash(t *testing.T) {
	base := strings.Fields(strings.Repeat("the quick brown fox jumps over the lazy dog near the river bank ", 8) +
		"while officials said the storm would pass by evening according to the weather service")
	edited := append(slices.Clone(base[:len(base)-3]), "on", "sunday", "night")
	other := strings.Fields(strings.Repeat("markets fell sharply in early trading as investors weighed new data ", 8))
	h := SimHash(Shingles(base, 4))
	if d := Hamming(h, SimHash(Shingles(edited, 4))); d > 6 {
		t.Errorf("near copy: Hamming %d, want small", d)
	}
	if d := Hamming(h, SimHash(Shingles(other, 4))); d < 16 {
		t.Errorf("different text: Hamming %d, want large", d)
	}
	if SimHash(nil) != 0 || Shingles(nil, 4) != nil {
		t.Error("empty input should give zero fingerprint and no shingles")
	}
	if got := len(Shingles([]string{"a", "b"}, 4)); got != 1 {
		t.Errorf("short text: %d shingles, want 1", got)
	}
	if Hamming(0, 1<<63|1) != 2 {
		t.Error("Hamming miscounts")
	}
}

func TestIsRoleWord(t *testing.T) {
	for _, tt := range []struct {
		lang, w string
		want    bool
	}{
		{"en", "sheriff", true},
		{"en", "hospital", true},
		{"", "tv", true},
		{"en", "poore", false},
		{"en", "avenue", false},
		{"fr", "police", false}, // English list only
	} {
		if got := IsRoleWord(tt.lang, tt.w); got != tt.want {
			t.Errorf("IsRoleWord(%q, %q) = %v, want %v", tt.lang, tt.w, got, tt.want)
		}
	}
}

func TestLowerMatchesToLower(t *testing.T) {
	var l Lower
	for _, s := range []string{"", "HAWTHORNE — Year’s", "ÉCOLE Straße İstanbul ΣΟΦΙΑ", "bad \xff\xfe bytes", "MiXeD 123"} {
		if got, want := l.String(s), strings.ToLower(s); got != want {
			t.Errorf("Lower(%q) = %q, want %q", s, got, want)
		}
	}
}

// BenchmarkTokenize runs the tokenizer on a news paragraph with names,
// numbers, possessives and typographic punctuation.
func BenchmarkTokenize(b *testing.B) {
	s := strings.Repeat("HAWTHORNE — The name of a 20-year-old man who was killed in a shooting that also left "+
		"three other people wounded at an early morning New Year’s party in Hawthorne was released today. "+
		"He was Bernard Gillis, according to the Los Angeles County coroner’s office; 13,500 block of Cerise Ave. ", 6)
	var toks []Token
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		toks = AppendTokens(toks[:0], s)
	}
}
