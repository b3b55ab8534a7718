package extract

import (
	"strings"
	"testing"
)

// FuzzExtract feeds arbitrary bytes: Extract must return (not panic or hang),
// and a result it returns must have text and no script. Each run takes
// milliseconds, so shorten input minimization:
//
//	go test -run '^$' -fuzz FuzzExtract -fuzztime 60s -fuzzminimizetime 1s ./internal/extract/
func FuzzExtract(f *testing.F) {
	f.Add([]byte(articlePage("<title>t</title>", "", "")))
	f.Add([]byte(`<meta charset="shift_jis"><article><p>` + strings.Repeat("\x93\xfa\x96\x7b ", 80) + `</p></article>`))
	f.Add([]byte("<table><tr><td><p>" + strings.Repeat("cell text ", 60) + "<script>x</script></table>"))
	f.Add([]byte("\xFF\xFE<\x00p\x00>\x00"))
	f.Fuzz(func(t *testing.T, page []byte) {
		res, err := Extract(page, "https://e.example/a")
		if err != nil {
			return
		}
		if strings.TrimSpace(res.Text) == "" {
			t.Errorf("no error but empty text for %q", page)
		}
		if strings.Contains(strings.ToLower(res.HTML), "<script") {
			t.Errorf("script in HTML %q", res.HTML)
		}
	})
}
