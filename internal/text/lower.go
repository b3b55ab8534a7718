package text

import (
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Lower lowercases into scratch space reused between calls, so lowercasing
// every article's body costs no allocation. Not safe for concurrent use.
type Lower struct{ buf []byte }

// String returns strings.ToLower(s), byte for byte. The result shares l's
// buffer: it is valid only until the next call, so anything kept longer
// must be copied (strings.Clone).
func (l *Lower) String(s string) string {
	b := l.buf[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// strings.ToLower (through strings.Map) writes invalid bytes as U+FFFD
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
		i += size
	}
	l.buf = b
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
