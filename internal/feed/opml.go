package feed

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// Subscription is one feed in an OPML list.
type Subscription struct {
	FeedURL  string
	Name     string
	HomeURL  string
	Country  string // ISO 3166-1 alpha-2, upper-case; may be empty
	Language string // ISO 639-1, lower-case; may be empty
	Category string // the outline's first category, without slashes; may be empty
}

// ErrNotOPML is returned when the document has no <opml> root.
var ErrNotOPML = errors.New("not an OPML document")

// ParseOPML reads the feeds from an OPML document. Outlines may nest (as
// folders); attributes are matched case-insensitively (xmlUrl, xmlurl) and
// country, language and category are inherited from an enclosing folder outline. Entries
// without a feed URL are folders and skipped; repeated feed URLs are kept
// once.
func ParseOPML(r io.Reader) ([]Subscription, error) {
	d := xml.NewDecoder(r)
	d.Strict = false // exported OPML often carries bare & in URLs
	d.CharsetReader = charset.NewReaderLabel
	type scope struct{ country, language, category string }
	var (
		stack  []scope
		subs   []Subscription
		seen   = map[string]bool{}
		isOPML bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse opml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if !isOPML {
				if name != "opml" {
					return nil, fmt.Errorf("parse opml: %w (root is <%s>)", ErrNotOPML, t.Name.Local)
				}
				isOPML = true
				continue
			}
			if name != "outline" {
				continue
			}
			a := attrs(t.Attr)
			sc := scope{}
			if len(stack) > 0 {
				sc = stack[len(stack)-1]
			}
			if v := a["country"]; v != "" {
				sc.country = strings.ToUpper(v)
			}
			if v := a["language"]; v != "" {
				sc.language = strings.ToLower(v)
			}
			if v, _, _ := strings.Cut(a["category"], ","); strings.Trim(strings.TrimSpace(v), "/") != "" {
				sc.category = strings.Trim(strings.TrimSpace(v), "/")
			}
			stack = append(stack, sc)
			u := a["xmlurl"]
			if u == "" || seen[u] {
				continue
			}
			seen[u] = true
			name = a["title"]
			if name == "" {
				name = a["text"]
			}
			if name == "" {
				name = u
			}
			subs = append(subs, Subscription{FeedURL: u, Name: name, HomeURL: a["htmlurl"], Country: sc.country, Language: sc.language, Category: sc.category})
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if !isOPML {
		return nil, fmt.Errorf("parse opml: %w", ErrNotOPML)
	}
	return subs, nil
}

func attrs(list []xml.Attr) map[string]string {
	m := make(map[string]string, len(list))
	for _, a := range list {
		m[strings.ToLower(a.Name.Local)] = strings.TrimSpace(a.Value)
	}
	return m
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string `xml:"text,attr"`
	Title    string `xml:"title,attr,omitempty"`
	Type     string `xml:"type,attr"`
	XMLURL   string `xml:"xmlUrl,attr"`
	HTMLURL  string `xml:"htmlUrl,attr,omitempty"`
	Category string `xml:"category,attr,omitempty"`
	Country  string `xml:"country,attr,omitempty"`
	Language string `xml:"language,attr,omitempty"`
}

// WriteOPML writes subs as an OPML 2.0 document, one flat outline per feed,
// with category, country and language as attributes (ParseOPML reads them back).
func WriteOPML(w io.Writer, subs []Subscription) error {
	doc := opmlDoc{Version: "2.0", Title: "Dateline subscriptions"}
	for _, s := range subs {
		doc.Body = append(doc.Body, opmlOutline{
			Text: s.Name, Title: s.Name, Type: "rss", XMLURL: s.FeedURL, HTMLURL: s.HomeURL,
			Category: s.Category, Country: s.Country, Language: s.Language,
		})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}

//go:embed default.opml
var defaultOPML []byte

// Defaults returns the built-in subscription list: public general and
// world news feeds from many countries and languages.
func Defaults() ([]Subscription, error) {
	subs, err := ParseOPML(bytes.NewReader(defaultOPML))
	if err != nil {
		return nil, fmt.Errorf("default subscriptions: %w", err)
	}
	return subs, nil
}
