package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// metaScanLimit bounds how far we look for a <meta charset>. The HTML spec says
// 1024 bytes, but real pages often put it after kilobytes of scripts.
const metaScanLimit = 64 << 10

// toUTF8 decodes page to NFC-normalized UTF-8 without soft hyphens.
// Order: byte-order mark, then a declared charset, then UTF-8 if the bytes are
// valid UTF-8, else Windows-1252 (the web's superset of Latin-1).
func toUTF8(page []byte) string {
	enc, valid := detect(page)
	var s string
	if enc == nil && valid {
		s = string(page)
	} else if enc == nil {
		s = strings.ToValidUTF8(string(page), "\uFFFD")
	} else if out, err := enc.NewDecoder().Bytes(page); err == nil {
		s = string(out)
	} else {
		s = strings.ToValidUTF8(string(page), "\uFFFD")
	}
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.Contains(s, "\u00AD") {
		s = strings.ReplaceAll(s, "\u00AD", "")
	}
	return norm.NFC.String(s)
}

// detect returns the page's encoding, nil for UTF-8, and whether the page
// is valid UTF-8.
func detect(page []byte) (enc encoding.Encoding, validUTF8 bool) {
	validUTF8 = utf8.Valid(page)
	switch {
	case bytes.HasPrefix(page, []byte{0xEF, 0xBB, 0xBF}):
		return nil, validUTF8
	case bytes.HasPrefix(page, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), validUTF8
	case bytes.HasPrefix(page, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), validUTF8
	}
	if enc, name := declared(page); enc != nil {
		if name == "utf-8" {
			return nil, validUTF8
		}
		// A page that says Latin-1 (or another legacy charset) but whose bytes
		// are valid UTF-8 with non-ASCII text is mislabelled UTF-8: real
		// Latin-1 text almost never forms valid UTF-8 sequences.
		if validUTF8 && !isASCII(page) && !multiByteLegacy(name) {
			return nil, true
		}
		return enc, validUTF8
	}
	if validUTF8 {
		return nil, true
	}
	return charmap.Windows1252, false
}

// declared finds the charset of the first <meta charset> or
// <meta http-equiv=Content-Type content="...; charset=..."> in the head.
func declared(page []byte) (encoding.Encoding, string) {
	if len(page) > metaScanLimit {
		page = page[:metaScanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return nil, ""
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
				label = charsetParam(content)
			}
			if label == "" {
				continue
			}
			if enc, name := charset.Lookup(label); enc != nil {
				// A UTF-16 label inside ASCII-compatible bytes is wrong by
				// construction; the spec says to treat it as UTF-8.
				if strings.HasPrefix(name, "utf-16") {
					return encoding.Nop, "utf-8"
				}
				return enc, name
			}
		}
	}
}

func charsetParam(contentType string) string {
	i := strings.Index(strings.ToLower(contentType), "charset=")
	if i < 0 {
		return ""
	}
	v := strings.TrimSpace(contentType[i+len("charset="):])
	v = strings.Trim(v, `"'`)
	if j := strings.IndexAny(v, `;"' `); j >= 0 {
		v = v[:j]
	}
	return v
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// multiByteLegacy reports encodings whose byte sequences can happen to be valid
// UTF-8, so validity says nothing about mislabelling.
func multiByteLegacy(name string) bool {
	switch name {
	case "shift_jis", "euc-jp", "iso-2022-jp", "euc-kr", "gbk", "gb18030", "big5":
		return true
	}
	return false
}
