package sanitize

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text returns the readable text of an HTML fragment: one line per paragraph,
// heading, list item, table row or <br>, whitespace inside a line collapsed,
// no blank lines. Script, style and other non-content elements are skipped.
func Text(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return ""
	}
	var w textWriter
	for _, n := range nodes {
		w.walk(n)
	}
	w.breakLine()
	return strings.Join(w.lines, "\n")
}

// textWriter collects lines; cur holds the words of the line being built.
type textWriter struct {
	lines []string
	cur   strings.Builder
	space bool // a space is pending before the next word
	pre   int  // depth of <pre>: there newlines end lines
}

func (w *textWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if w.pre == 0 {
			w.text(n.Data)
			return
		}
		for i, line := range strings.Split(n.Data, "\n") {
			if i > 0 {
				w.breakLine()
			}
			w.text(line)
		}
		return
	case html.ElementNode:
		if skipped[n.DataAtom] {
			return
		}
		if n.DataAtom == atom.Br {
			w.breakLine()
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := blocks[n.DataAtom]
	if block {
		w.breakLine()
	} else if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
		w.space = w.cur.Len() > 0
	}
	if n.DataAtom == atom.Pre {
		w.pre++
		defer func() { w.pre-- }()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.breakLine()
	}
}

func (w *textWriter) text(s string) {
	for len(s) > 0 {
		i := strings.IndexFunc(s, isSpace)
		if i == 0 {
			w.space = w.cur.Len() > 0
			s = strings.TrimLeftFunc(s, isSpace)
			continue
		}
		word := s
		if i > 0 {
			word, s = s[:i], s[i:]
		} else {
			s = ""
		}
		if w.space {
			w.cur.WriteByte(' ')
			w.space = false
		}
		w.cur.WriteString(word)
	}
}

func (w *textWriter) breakLine() {
	if w.cur.Len() > 0 {
		w.lines = append(w.lines, w.cur.String())
		w.cur.Reset()
	}
	w.space = false
}

// isSpace is HTML's notion of inter-word space plus the no-break space,
// which pages use between words and which readers treat as a space.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\u00a0':
		return true
	}
	return false
}

var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
	atom.Head: true, atom.Title: true, atom.Select: true, atom.Textarea: true, atom.Button: true,
}

var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Nav: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Figure: true, atom.Figcaption: true,
	atom.Table: true, atom.Caption: true, atom.Tr: true, atom.Hr: true, atom.Address: true,
	atom.Details: true, atom.Summary: true, atom.Body: true, atom.Html: true,
}
