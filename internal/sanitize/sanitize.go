// Package sanitize makes untrusted article HTML safe to show and turns HTML into plain text.
package sanitize

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// policy is built once: bluemonday policies are safe for concurrent use after setup.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "br", "hr", "div", "span",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"ul", "ol", "li", "dl", "dt", "dd",
		"blockquote", "q", "cite", "pre", "code", "kbd", "samp",
		"figure", "figcaption",
		"b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
	)
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).OnElements("abbr")

	// URLs: absolute only (the extractor resolves them against the page), and
	// only schemes that cannot run code.
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("href").OnElements("a")
	// rel and target from the page are dropped; the policy sets rel itself and
	// never adds target=_blank.
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)

	p.AllowAttrs("src").Matching(httpURL).OnElements("img")
	p.AllowAttrs("alt", "title").Matching(bluemonday.Paragraph).OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("cite").Matching(httpURL).OnElements("blockquote", "q")
	return p
}

var httpURL = regexp.MustCompile(`^(?i)https?://[^\s]+$`)

// HTML returns s with everything but a small set of article elements removed:
// no scripts, styles, iframes, forms, event handlers or non-http(s) URLs.
// Links carry rel="nofollow noopener".
func HTML(s string) string {
	out := policy.Sanitize(s)
	// bluemonday can add rel=nofollow but only adds noopener together with
	// target=_blank, which we don't want. Input rel attributes are not allowed,
	// and quotes inside values are escaped, so this literal only ever is the
	// attribute bluemonday wrote.
	return strings.ReplaceAll(out, ` rel="nofollow"`, ` rel="nofollow noopener"`)
}
