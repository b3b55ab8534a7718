package text

import (
	"reflect"
	"testing"
)

func collect(each func(string, func(int, int)), s string) []string {
	var out []string
	each(s, func(i, j int) { out = append(out, s[i:j]) })
	return out
}

func TestEachSentence(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Sen. Ann Bly spoke. Then she left.", []string{"Sen. Ann Bly spoke.", "Then she left."}},
		{"John F. Kennedy flew to the U.S. capital. It rained.", []string{"John F. Kennedy flew to the U.S. capital.", "It rained."}},
		{`"We will go," she said. "Now."`, []string{`"We will go," she said.`, `"Now."`}},
		{"Prices rose 2.5 percent. Why? Nobody knows!", []string{"Prices rose 2.5 percent.", "Why?", "Nobody knows!"}},
		{"ends without a stop", []string{"ends without a stop"}},
		{"lower. case does not split", []string{"lower. case does not split"}},
	}
	for _, tt := range tests {
		if got := collect(EachSentence, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("EachSentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEachWord(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"O'Brien's F-16 hit AT&T in the U.S. today.", []string{"O'Brien's", "F-16", "hit", "AT&T", "in", "the", "U.S.", "today"}},
		{"See kcra.com or Dept.Police", []string{"See", "kcra.com", "or", "Dept", "Police"}},
		{"13,500 people; $2.4 billion, 1,250,000 votes", []string{"13,500", "people", "2.4", "billion", "1,250,000", "votes"}},
		{"rooms 1,2 and 3, 4000 more", []string{"rooms", "1", "2", "and", "3", "4000", "more"}},
	}
	for _, tt := range tests {
		if got := collect(EachWord, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("EachWord(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEachParagraph(t *testing.T) {
	got := collect(EachParagraph, "  One.\n\n \nTwo words.  \n")
	if want := []string{"One.", "Two words."}; !reflect.DeepEqual(got, want) {
		t.Errorf("EachParagraph = %q, want %q", got, want)
	}
}

func TestIsNewsStop(t *testing.T) {
	tests := []struct {
		lang, w string
		want    bool
	}{
		{"en", "said", true}, {"en", "tuesday", true}, {"en", "the", true}, {"en", "volcano", false},
		{"fr", "les", true}, {"fr", "volcan", false}, {"de", "und", true},
	}
	for _, tt := range tests {
		if got := IsNewsStop(tt.lang, tt.w); got != tt.want {
			t.Errorf("IsNewsStop(%q, %q) = %v, want %v", tt.lang, tt.w, got, tt.want)
		}
	}
}

func TestBaseLang(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "en-US": "en", "EN_gb": "en", " fr ": "fr", "": ""} {
		if got := BaseLang(in); got != want {
			t.Errorf("BaseLang(%q) = %q, want %q", in, got, want)
		}
	}
}
