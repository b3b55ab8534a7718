package sanitize

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzHTML checks that whatever goes in, what comes out parses to a tree with
// no script-capable element, no event handler and no URL outside http(s)/mailto.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		`<p>hi</p><script>alert(1)</script>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<img src=x onerror=alert(1)>`,
		`<svg><script>alert(1)</script></svg>`,
		`<a href="  JaVaScRiPt:alert(1)">x</a>`,
		`<p title="x><script>alert(1)</script>">`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := HTML(in)
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			return
		}
		var check func(*html.Node)
		check = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link", "noscript":
					t.Fatalf("HTML(%q) = %q keeps <%s>", in, out, n.Data)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" {
						t.Fatalf("HTML(%q) = %q keeps attribute %s", in, out, a.Key)
					}
					if a.Key == "href" || a.Key == "src" || a.Key == "cite" {
						v := strings.ToLower(strings.TrimSpace(a.Val))
						if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "mailto:") {
							t.Fatalf("HTML(%q) = %q keeps URL %q", in, out, a.Val)
						}
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				check(c)
			}
		}
		check(doc)
		_ = Text(out) // must not panic
	})
}
