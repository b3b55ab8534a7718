package accountweb

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// linkRe finds http(s) URLs in plain text; trailing punctuation is trimmed
// after matching.
var linkRe = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'\x60]+`)

// Linkify renders a plain-text comment as HTML: every character is escaped,
// http and https URLs become links marked rel="nofollow ugc", blank lines
// separate paragraphs and single newlines become <br>.
func Linkify(body string) template.HTML {
	var b strings.Builder
	for i, para := range splitParagraphs(body) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("<p>")
		for j, line := range strings.Split(para, "\n") {
			if j > 0 {
				b.WriteString("<br>\n")
			}
			linkLine(&b, line)
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}

var paraRe = regexp.MustCompile(`\n[ \t]*\n\s*`)

func splitParagraphs(body string) []string {
	var out []string
	for _, p := range paraRe.Split(body, -1) {
		if p = strings.Trim(p, "\n"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func linkLine(b *strings.Builder, line string) {
	last := 0
	for _, m := range linkRe.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		end = start + len(trimURL(line[start:end]))
		raw := line[start:end]
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(u.String()))
		b.WriteString(`" rel="nofollow ugc">`)
		b.WriteString(template.HTMLEscapeString(raw))
		b.WriteString(`</a>`)
		last = end
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
}

// trimURL drops punctuation that usually ends the sentence rather than the
// URL, keeping a closing parenthesis that has its opening one inside.
func trimURL(s string) string {
	for len(s) > 0 {
		c := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
			s = s[:len(s)-1]
		case c == ')' && strings.Count(s, "(") < strings.Count(s, ")"):
			s = s[:len(s)-1]
		case c == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}
