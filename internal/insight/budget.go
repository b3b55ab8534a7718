package insight

import (
	"strings"
	"unicode/utf8"
)

// clip returns the first at most max bytes of text, cut at the last
// paragraph break inside the budget, else the last sentence end, else the
// last space, so no word or (when possible) sentence is cut in half.
func clip(text string, max int) string {
	if max <= 0 || len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	head := text[:cut]
	// only look for a boundary in the last half, so a huge first paragraph
	// does not shrink the budget to nothing
	floor := cut / 2
	if i := strings.LastIndexByte(head, '\n'); i >= floor {
		return head[:i]
	}
	for _, end := range []string{". ", "? ", "! ", ".” ", ".\" "} {
		if i := strings.LastIndex(head, end); i >= floor {
			return head[:i+len(end)-1]
		}
	}
	if i := strings.LastIndexByte(head, ' '); i >= floor {
		return head[:i]
	}
	return head
}

// articleBudget is the bytes each of n original articles may use.
func (c Config) articleBudget(n int) int {
	if n <= 0 {
		return c.MaxArticleBytes
	}
	b := c.MaxStoryBytes / n
	if b > c.MaxArticleBytes {
		b = c.MaxArticleBytes
	}
	if b < c.MinArticleBytes {
		b = c.MinArticleBytes
	}
	return b
}
