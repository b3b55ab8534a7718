package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/unicode/norm"

	"github.com/dateline-news/dateline/internal/decode"
)

// metaScanLimit bounds how far we look for a <meta charset>. The HTML spec says
// 1024 bytes, but real pages often put it after kilobytes of scripts.
const metaScanLimit = 64 << 10

// toUTF8 decodes page to NFC-normalized UTF-8 without soft hyphens, by
// the rule feeds use too (internal/decode): byte-order mark, valid UTF-8,
// the page's <meta> charset, then headerLabel (the HTTP header's charset),
// with a sniff where a label is missing or a Latin-1 default.
func toUTF8(page []byte, headerLabel string) string {
	meta, _ := declared(page)
	enc, _ := decode.Choose(page, meta, headerLabel)
	s := string(decode.ToUTF8(page, enc))
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.Contains(s, "\u00AD") {
		s = strings.ReplaceAll(s, "\u00AD", "")
	}
	return norm.NFC.String(s)
}

// declared finds the charset label of the first <meta charset> or
// <meta http-equiv=Content-Type content="...; charset=..."> in the head
// that names a known encoding.
func declared(page []byte) (string, bool) {
	if len(page) > metaScanLimit {
		page = page[:metaScanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return "", false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return "", false
			case "meta":
			default:
				continue
			}
			var label, httpEquiv, content string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					label = string(v)
				case "http-equiv":
					httpEquiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
			}
			if label == "" && httpEquiv == "content-type" {
				label = decode.Label(content)
			}
			if label == "" {
				continue
			}
			if enc, _ := charset.Lookup(label); enc != nil {
				return label, true
			}
		}
	}
}
