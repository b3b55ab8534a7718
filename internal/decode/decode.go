// Package decode decides the text encoding of a fetched feed or page and
// converts it to UTF-8. Feeds (internal/feed) and article pages
// (internal/extract) share it, so one rule decides for both.
//
// Publishers mislabel in every direction, so the bytes decide first:
//
//  1. a byte-order mark wins;
//  2. bytes that are valid UTF-8 are UTF-8, whatever is declared, unless a
//     multi-byte legacy charset (Shift_JIS, GBK, …) is declared, whose text
//     can happen to be valid UTF-8;
//  3. otherwise the document's own declaration (XML declaration or
//     <meta charset>), then the HTTP header's charset, is used, except that
//     a Latin-1 family label (ISO-8859-1, Windows-1252, ASCII: what servers
//     and templates default to) gives way to a statistical sniff that is
//     confident of another single-byte charset: a Windows-1251 page served
//     as ISO-8859-1 is read as Windows-1251, not as mojibake;
//  4. undeclared (or declared UTF-8 but invalid): the sniff when confident,
//     else every invalid byte is read as Windows-1252 and valid UTF-8
//     sequences are kept, which also mends documents that mix both.
package decode

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// sniffConfidence is the chardet confidence (0-100) above which a sniffed
// charset overrides a Latin-1 family label or fills in a missing one.
// Cyrillic and Central European text in its own single-byte charset scores
// 50 and more; Latin-1 text scores its own charset higher than any other.
const sniffConfidence = 40

// sniffLimit bounds the bytes the sniffer reads: enough text to be sure.
const sniffLimit = 64 << 10

// Label returns the charset parameter of a Content-Type header, or "".
func Label(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return strings.TrimSpace(params["charset"])
	}
	// A malformed header may still carry a usable charset.
	i := strings.Index(strings.ToLower(contentType), "charset=")
	if i < 0 {
		return ""
	}
	v := strings.Trim(strings.TrimSpace(contentType[i+len("charset="):]), `"'`)
	if j := strings.IndexAny(v, `;"' `); j >= 0 {
		v = v[:j]
	}
	return v
}

// Choose returns the encoding of body and its canonical name, nil and
// "utf-8" for UTF-8 (BOM or not). docLabel is the document's own
// declaration, headerLabel the HTTP header's charset; either may be "".
func Choose(body []byte, docLabel, headerLabel string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return nil, "utf-8"
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be"
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"
	}
	enc, name := lookup(docLabel)
	if enc == nil {
		enc, name = lookup(headerLabel)
	}
	if utf8.Valid(body) {
		if enc != nil && multiByteLegacy(name) && !isASCII(body) {
			return enc, name
		}
		return nil, "utf-8"
	}
	if enc != nil && !latinFamily(name) {
		return enc, name
	}
	if senc, sname := sniff(body); senc != nil && !latinFamily(sname) {
		return senc, sname
	}
	if enc != nil {
		return enc, name
	}
	return nil, "utf-8" // invalid UTF-8 with no better idea: ToUTF8 mends it
}

// ToUTF8 converts body from enc (nil: UTF-8, invalid bytes read as
// Windows-1252) to UTF-8, dropping a leading byte-order mark.
func ToUTF8(body []byte, enc encoding.Encoding) []byte {
	if enc != nil {
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			return bytes.TrimPrefix(out, []byte{0xEF, 0xBB, 0xBF})
		}
	}
	body = bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(body) {
		return body
	}
	return Mixed(body)
}

// Mixed keeps valid UTF-8 sequences and decodes every other byte as
// Windows-1252 (a superset of the printable ISO-8859-1).
func Mixed(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(b[0]))
			b = b[1:]
			continue
		}
		out = append(out, b[:size]...)
		b = b[size:]
	}
	return out
}

// lookup resolves a label to an encoding as browsers do; UTF-8 and UTF-16
// labels (the latter wrong by construction in ASCII-compatible bytes, which
// the spec says to read as UTF-8) come back nil.
func lookup(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, name := charset.Lookup(label)
	if enc == nil || name == "utf-8" || strings.HasPrefix(name, "utf-16") {
		return nil, ""
	}
	return enc, name
}

// sniff guesses the charset of non-UTF-8 bytes; nil when unsure. It looks
// only at words with non-ASCII bytes: markup, URLs and numbers say nothing
// about the charset and dilute the detector's confidence.
func sniff(body []byte) (encoding.Encoding, string) {
	var sample []byte
	for w := range bytes.FieldsFuncSeq(body, func(r rune) bool { return r < utf8.RuneSelf && !isLetter(byte(r)) }) {
		if !isASCII(w) {
			sample = append(append(sample, w...), ' ')
			if len(sample) >= sniffLimit {
				break
			}
		}
	}
	if len(sample) == 0 {
		return nil, ""
	}
	r, err := chardet.NewTextDetector().DetectBest(sample)
	if err != nil || r == nil || r.Confidence < sniffConfidence {
		return nil, ""
	}
	enc, name := lookup(r.Charset)
	if enc == nil {
		return nil, ""
	}
	return enc, name
}

// latinFamily reports the labels servers and templates use by default,
// which say little about the actual text.
func latinFamily(name string) bool {
	switch name {
	case "windows-1252", "iso-8859-1", "iso-8859-15", "us-ascii":
		return true
	}
	return false
}

// multiByteLegacy reports encodings whose byte sequences can happen to be
// valid UTF-8, so validity says nothing about mislabelling.
func multiByteLegacy(name string) bool {
	switch name {
	case "shift_jis", "euc-jp", "iso-2022-jp", "euc-kr", "gbk", "gb18030", "big5":
		return true
	}
	return false
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
