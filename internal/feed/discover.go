package feed

import (
	"bytes"
	"strings"

	"github.com/dateline-news/dateline/internal/canon"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true, // JSON Feed 1.0 pages often say this
	"application/rdf+xml":   true,
	"application/xml":       true,
	"text/xml":              true,
}

// Discover returns the feed URLs an HTML page advertises with
// <link rel="alternate" type="application/rss+xml" href="...">, resolved
// against pageURL (or the page's <base href>), in document order without
// duplicates. Use it when a subscription URL turns out to be a web page
// (Parse returned ErrNotFeed).
func Discover(page []byte, pageURL string) []string {
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	base := pageURL
	var out []string
	seen := map[string]bool{}
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return out
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := atom.Lookup(name)
			if tag == atom.Body {
				return out // feeds are advertised in <head>
			}
			if !hasAttr || (tag != atom.Link && tag != atom.Base) {
				continue
			}
			a := map[string]string{}
			for {
				k, v, more := z.TagAttr()
				a[string(k)] = strings.TrimSpace(string(v))
				if !more {
					break
				}
			}
			if tag == atom.Base {
				if a["href"] != "" {
					base = canon.Resolve(pageURL, a["href"])
				}
				continue
			}
			if !hasToken(a["rel"], "alternate") || a["href"] == "" {
				continue
			}
			typ, _, _ := strings.Cut(strings.ToLower(a["type"]), ";")
			if !feedTypes[strings.TrimSpace(typ)] {
				continue
			}
			u := canon.Resolve(base, a["href"])
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}
