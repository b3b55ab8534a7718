package decode

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

const (
	russian = "Правительство объявило о новых мерах поддержки малого бизнеса в регионах страны. Министр заявил, что программа начнёт работать в январе."
	polish  = "Rząd ogłosił nowe środki wsparcia dla małych firm w regionach kraju. Minister powiedział, że program rozpocznie się w styczniu."
	french  = "Le gouvernement a annoncé de nouvelles mesures pour les entreprises. Le ministre a déclaré que le programme commencera en janvier."
)

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestChoose: the bytes, the document's label and the header's label, and
// the text that must come out.
func TestChoose(t *testing.T) {
	page := func(s string) string {
		return "<html><head><title>t</title></head><body><p>" + s + "</p></body></html>"
	}
	tests := []struct {
		name        string
		body        []byte
		doc, header string
		want        string // substring of the decoded text
	}{
		{"utf-8 unlabelled", []byte(page(russian)), "", "", russian},
		{"utf-8 labelled windows-1251", []byte(page(russian)), "windows-1251", "", russian},
		{"utf-8 with a BOM", append([]byte{0xEF, 0xBB, 0xBF}, page(french)...), "iso-8859-1", "", french},
		{"windows-1251 unlabelled", encode(t, charmap.Windows1251, page(russian)), "", "", russian},
		{"windows-1251 labelled", encode(t, charmap.Windows1251, page(russian)), "windows-1251", "", russian},
		{"windows-1251 header only", encode(t, charmap.Windows1251, page(russian)), "", "cp1251", russian},
		{"windows-1251 served as iso-8859-1", encode(t, charmap.Windows1251, page(russian)), "", "iso-8859-1", russian},
		{"windows-1251 declared windows-1252", encode(t, charmap.Windows1251, page(russian)), "windows-1252", "", russian},
		{"windows-1251 declared utf-8", encode(t, charmap.Windows1251, page(russian)), "utf-8", "utf-8", russian},
		{"koi8-r labelled", encode(t, charmap.KOI8R, page(russian)), "koi8-r", "", russian},
		{"windows-1250 served as iso-8859-1", encode(t, charmap.Windows1250, page(polish)), "", "iso-8859-1", polish},
		{"latin-1 labelled", encode(t, charmap.ISO8859_1, page(french)), "iso-8859-1", "", french},
		{"latin-1 unlabelled", encode(t, charmap.ISO8859_1, page(french)), "", "", french},
		{"latin-1 declared utf-8", encode(t, charmap.ISO8859_1, page(french)), "utf-8", "", french},
		{"shift_jis that is not utf-8", encode(t, japanese.ShiftJIS, page("東京で会議が開かれた。")), "shift_jis", "", "東京で会議が開かれた。"},
		{"unknown label", encode(t, charmap.ISO8859_1, page(french)), "x-no-such-charset", "", french},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, name := Choose(tt.body, tt.doc, tt.header)
			got := string(ToUTF8(tt.body, enc))
			if !strings.Contains(got, tt.want) {
				t.Errorf("decoded as %s: %.80q…, want %.40q", name, got[strings.Index(got, "<p>")+3:], tt.want)
			}
		})
	}
}

func TestLabel(t *testing.T) {
	tests := map[string]string{
		"":                                   "",
		"text/html":                          "",
		"text/html; charset=windows-1251":    "windows-1251",
		`text/xml; charset="ISO-8859-1"`:     "ISO-8859-1",
		"text/html; charset=koi8-r; foo=bar": "koi8-r",
		"text/html;;charset=cp1251 junk":     "cp1251",
	}
	for in, want := range tests {
		if got := Label(in); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMixed(t *testing.T) {
	in := []byte("caf\xe9 and caf\xc3\xa9")
	if got := string(Mixed(in)); got != "café and café" {
		t.Errorf("Mixed = %q", got)
	}
}
