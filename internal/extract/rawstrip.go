package extract

import "bytes"

// stripRawText empties the contents of <script> (except JSON data), <style>
// and <svg> elements and drops comments at the byte level before parsing.
// These are often most of a page's bytes, the HTML tokenizer reads raw text a
// byte at a time, and nothing in them is article text. Elements are kept
// (empty) so the parse tree is otherwise unchanged; <textarea>/<title>/<xmp>
// contents are copied verbatim, and an element whose text contains "<!--"
// (where the tokenizer's escape rules apply) is left alone.
func stripRawText(page []byte) []byte {
	out := make([]byte, 0, len(page))
	i := 0
	for {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 {
			return append(out, page[i:]...)
		}
		j += i
		rest := page[j+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			end := bytes.Index(page[j+4:], []byte("-->"))
			if end < 0 {
				return append(out, page[i:]...)
			}
			end += j + 4 + 3
			out = append(out, page[i:j]...) // comments carry no text
			i = end
		case hasTagPrefix(rest, "script"), hasTagPrefix(rest, "style"), hasTagPrefix(rest, "svg"):
			name := "script"
			switch lower(rest[1]) {
			case 't':
				name = "style"
			case 'v':
				name = "svg"
			}
			gt := bytes.IndexByte(rest, '>')
			if gt < 0 {
				return append(out, page[i:]...)
			}
			startEnd := j + 1 + gt + 1 // just past the start tag
			closeAt := indexFold(page[startEnd:], "</"+name)
			if closeAt < 0 {
				return append(out, page[i:]...)
			}
			closeAt += startEnd
			body := page[startEnd:closeAt]
			tag := page[j:startEnd]
			keep := bytes.Contains(body, []byte("<!--")) ||
				name == "script" && indexFold(tag, "json") >= 0
			if keep {
				out = append(out, page[i:closeAt]...)
			} else {
				out = append(out, page[i:startEnd]...)
			}
			i = closeAt
		case hasTagPrefix(rest, "textarea"), hasTagPrefix(rest, "title"), hasTagPrefix(rest, "xmp"):
			name := "textarea"
			switch lower(rest[0]) {
			case 'x':
				name = "xmp"
			case 't':
				if lower(rest[1]) == 'i' {
					name = "title"
				}
			}
			closeAt := indexFold(page[j+1:], "</"+name)
			if closeAt < 0 {
				return append(out, page[i:]...)
			}
			closeAt += j + 1
			out = append(out, page[i:closeAt]...)
			i = closeAt
		default:
			out = append(out, page[i:j+1]...)
			i = j + 1
		}
	}
}

// hasTagPrefix reports whether b starts with name (ASCII case-insensitive)
// followed by a character that ends a tag name.
func hasTagPrefix(b []byte, name string) bool {
	if len(b) <= len(name) {
		return false
	}
	for k := 0; k < len(name); k++ {
		if lower(b[k]) != name[k] {
			return false
		}
	}
	switch b[len(name)] {
	case ' ', '\t', '\n', '\r', '\f', '/', '>':
		return true
	}
	return false
}

// indexFold is bytes.Index for a lower-case ASCII needle, ignoring ASCII case in b.
func indexFold(b []byte, needle string) int {
	first := needle[0]
	firsts := string(first)
	if 'a' <= first && first <= 'z' {
		firsts += string(first - 'a' + 'A')
	}
	for i := 0; i+len(needle) <= len(b); i++ {
		k := bytes.IndexAny(b[i:], firsts)
		if k < 0 {
			return -1
		}
		i += k
		if i+len(needle) > len(b) {
			return -1
		}
		match := true
		for m := 1; m < len(needle); m++ {
			if lower(b[i+m]) != needle[m] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
