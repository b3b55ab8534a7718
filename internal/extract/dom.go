package extract

import (
	"cmp"
	nurl "net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// walk calls fn on every element below n in document order; fn returns false
// to skip an element's children.
func walk(n *html.Node, fn func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !fn(c) {
			continue
		}
		walk(c, fn)
	}
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(n, func(e *html.Node) bool {
		if found == nil && e.DataAtom == a {
			found = e
		}
		return found == nil
	})
	return found
}

// abs resolves ref against base and returns it only if the result is an
// absolute http(s) URL.
func absHTTP(ref string, base *nurl.URL) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := nurl.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func baseHref(doc *html.Node, pageURL *nurl.URL) *nurl.URL {
	head := findElement(doc, atom.Head)
	if head == nil {
		return nil
	}
	b := findElement(head, atom.Base)
	if b == nil {
		return nil
	}
	if s := absHTTP(attr(b, "href"), pageURL); s != "" {
		u, _ := nurl.Parse(s)
		return u
	}
	return nil
}

// canonicalURL reads <link rel=canonical>, falling back to og:url.
func canonicalURL(doc *html.Node, base *nurl.URL) string {
	var link, og string
	walk(doc, func(e *html.Node) bool {
		switch e.DataAtom {
		case atom.Link:
			if link == "" && hasToken(attr(e, "rel"), "canonical") {
				link = absHTTP(attr(e, "href"), base)
			}
		case atom.Meta:
			if og == "" && strings.EqualFold(attr(e, "property"), "og:url") {
				og = absHTTP(attr(e, "content"), base)
			}
		case atom.Body:
			// Both belong in <head>; a canonical link in the body is not trusted.
			return false
		}
		return true
	})
	if link != "" {
		return link
	}
	return og
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// resolveURLs makes href and src absolute so the sanitizer, which drops
// relative URLs, keeps them; unresolvable ones are removed.
func resolveURLs(n *html.Node, base *nurl.URL) {
	walk(n, func(e *html.Node) bool {
		for _, key := range []string{"href", "src"} {
			v := attr(e, key)
			if v == "" {
				continue
			}
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "mailto:") {
				continue
			}
			setAttr(e, key, absHTTP(v, base))
		}
		return true
	})
}

// leadImage finds the first sizeable image inside the page's <article> (or
// <main>), for pages without og:image. Lazy-loading pages keep the real URL
// in data-src or srcset.
// metaImage reads the social-card image tags trafilatura's metadata may
// miss (twitter:image, og:image:secure_url), in that order of preference.
func metaImage(doc *html.Node, base *nurl.URL) string {
	found := map[string]string{}
	walk(doc, func(e *html.Node) bool {
		if e.DataAtom == atom.Body {
			return false
		}
		if e.DataAtom == atom.Meta {
			key := strings.ToLower(strings.TrimSpace(cmp.Or(attr(e, "property"), attr(e, "name"))))
			if _, seen := found[key]; !seen {
				found[key] = attr(e, "content")
			}
		}
		return true
	})
	for _, k := range []string{"og:image:secure_url", "og:image:url", "og:image", "twitter:image", "twitter:image:src"} {
		if u := absHTTP(found[k], base); u != "" {
			return u
		}
	}
	return ""
}

func leadImage(doc *html.Node, base *nurl.URL) string {
	scope := findElement(doc, atom.Article)
	if scope == nil {
		scope = findElement(doc, atom.Main)
	}
	if scope == nil {
		return ""
	}
	var src string
	walk(scope, func(e *html.Node) bool {
		if src != "" {
			return false
		}
		if e.DataAtom != atom.Img || tiny(attr(e, "width")) || tiny(attr(e, "height")) {
			return true
		}
		for _, cand := range []string{attr(e, "data-src"), attr(e, "data-lazy-src"), firstSrcset(attr(e, "srcset")), attr(e, "src")} {
			if u := absHTTP(cand, base); u != "" {
				src = u
				break
			}
		}
		return src == ""
	})
	return src
}

// tiny reports a width or height attribute under 100 pixels: icons, avatars, trackers.
func tiny(v string) bool {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), "px"))
	return err == nil && n < 100
}

func firstSrcset(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " ,"); i >= 0 {
		s = s[:i]
	}
	return s
}

// prune drops parts of the page that never hold article text (scripts other
// than JSON-LD, styles, drawings, form controls, embeds, HTML comments, and the
// page's own navigation, asides and footers) so the extractor, which copies
// and walks the tree many times, has less to do. go-trafilatura removes all of
// these before it looks for content. Footers and asides inside an <article>
// or <main> stay: they often hold the byline and date the metadata needs.
func prune(n *html.Node) {
	pruneIn(n, false)
}

func pruneIn(n *html.Node, inArticle bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		drop := false
		switch c.Type {
		case html.CommentNode:
			drop = true
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Style, atom.Svg, atom.Template, atom.Noscript, atom.Iframe,
				atom.Select, atom.Button, atom.Textarea,
				atom.Canvas, atom.Video, atom.Audio, atom.Object, atom.Embed:
				drop = true
			case atom.Nav, atom.Footer, atom.Aside, atom.Menu:
				drop = !inArticle
			case atom.Script:
				drop = !strings.Contains(strings.ToLower(attr(c, "type")), "json")
			}
		}
		if drop {
			n.RemoveChild(c)
		} else {
			pruneIn(c, inArticle || c.DataAtom == atom.Article || c.DataAtom == atom.Main)
		}
		c = next
	}
}

// truncate keeps the first max elements of the tree in document order and
// removes everything after them. go-trafilatura's work grows faster than
// linearly with the number of elements, so this bounds the cost of hostile or
// absurdly long pages; real articles are far below the limit.
func truncate(n *html.Node, max int) {
	count := 0
	var rec func(*html.Node) bool // reports whether the limit was reached
	rec = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				count++
			}
			if count >= max {
				for c.FirstChild != nil {
					c.RemoveChild(c.FirstChild)
				}
			}
			if count >= max || rec(c) {
				for c.NextSibling != nil {
					n.RemoveChild(c.NextSibling)
				}
				return true
			}
		}
		return false
	}
	rec(n)
}

// inlineTags are the phrasing elements go-trafilatura keeps in its output.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "cite": true, "code": true, "del": true, "em": true,
	"i": true, "ins": true, "kbd": true, "mark": true, "q": true, "s": true, "samp": true,
	"small": true, "span": true, "strike": true, "strong": true, "sub": true, "sup": true,
	"tt": true, "u": true, "var": true,
}

// spaceInline puts back the spaces go-trafilatura trims from text next to
// inline elements: "Since <b>Olivier</b> injury" comes out as
// "Since <b>Olivier</b>injury". Its own plain text joins every text piece with
// a space; this does the same in the tree, except next to punctuation that
// hugs a word.
func spaceInline(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			spaceInline(c)
		}
		next := c.NextSibling
		if next == nil || !(isInline(c) || isInline(next)) || !isInlineOrText(c) || !isInlineOrText(next) {
			continue
		}
		last, first := lastRune(c), firstRune(next)
		if last == 0 || first == 0 || isSpaceRune(last) || isSpaceRune(first) ||
			strings.ContainsRune("([{“‘\"'/-–—$#@", last) ||
			strings.ContainsRune(")]}”’\"',.;:!?%/-–—…", first) {
			continue
		}
		n.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, next)
		c = c.NextSibling // skip the space just added
	}
}

func isInline(n *html.Node) bool { return n.Type == html.ElementNode && inlineTags[n.Data] }

func isInlineOrText(n *html.Node) bool { return n.Type == html.TextNode || isInline(n) }

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\u00a0'
}

// lastRune and firstRune return the rune at the end or start of n's text, 0 if none.
func lastRune(n *html.Node) rune {
	if n.Type == html.TextNode {
		r, _ := utf8.DecodeLastRuneInString(n.Data)
		if r == utf8.RuneError {
			return 0
		}
		return r
	}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		if r := lastRune(c); r != 0 {
			return r
		}
	}
	return 0
}

func firstRune(n *html.Node) rune {
	if n.Type == html.TextNode {
		r, _ := utf8.DecodeRuneInString(n.Data)
		if r == utf8.RuneError {
			return 0
		}
		return r
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if r := firstRune(c); r != 0 {
			return r
		}
	}
	return 0
}
