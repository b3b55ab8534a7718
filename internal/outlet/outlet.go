// Package outlet names news outlets and tidies their headlines: the name a
// reader sees (from the feed title, the page's og:site_name, else the host)
// and titles without the site-name prefixes and suffixes outlets append, or
// the doubled titles some feeds carry. Pure functions, no I/O.
package outlet

import (
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes bounds a name taken from a feed title: longer titles are
// descriptions, not names.
const maxNameRunes = 60

// separators split a title into a headline and a site name, widest first so
// " - " inside " -- " is not matched on its own.
var separators = []string{" -- ", " - ", " – ", " — ", " | ", " │ ", " :: ", " · ", " • ", " ~ ", " » "}

// Name picks the outlet's name: the feed's title, then the page's
// og:site_name, then the host. A feed title often carries a section ("Example
// News - World"); the part that names the host (or, failing that, the site
// name) is kept. host is a bare host name ("www." is dropped).
func Name(feedTitle, siteName, host string) string {
	host = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(host)), "www.")
	siteName = tidy(siteName)
	if ft := tidy(feedTitle); ft != "" && !looksLikeHost(ft) {
		if siteName != "" && strings.Contains(strings.ToLower(ft), strings.ToLower(siteName)) {
			return siteName
		}
		parts := splitAll(ft)
		if len(parts) > 1 {
			for _, p := range parts {
				if namesHost(p, host) {
					return p
				}
			}
			if siteName != "" {
				return siteName
			}
			return parts[0]
		}
		if utf8.RuneCountInString(ft) <= maxNameRunes {
			return ft
		}
	}
	if siteName != "" && utf8.RuneCountInString(siteName) <= maxNameRunes && !looksLikeHost(siteName) {
		return siteName
	}
	return host
}

// AutoNamed reports whether name is a placeholder derived from a host (as
// `feeds add` names an outlet without --name), so a better name may replace
// it. Names an operator chose are never host-like.
func AutoNamed(name, homeURL string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return true
	}
	if u, err := url.Parse(homeURL); err == nil && u.Hostname() != "" {
		if name == strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") {
			return true
		}
	}
	return looksLikeHost(name)
}

// looksLikeHost is true for "127.0.0.57", "example.com", "news.example.co.uk".
func looksLikeHost(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || strings.ContainsAny(s, " /") {
		return false
	}
	if net.ParseIP(s) != nil {
		return true
	}
	if !strings.Contains(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r == '.' || r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	tld := s[strings.LastIndexByte(s, '.')+1:]
	return len(tld) >= 2 && strings.IndexFunc(tld, unicode.IsDigit) < 0
}

// namesHost reports whether part spells the host's main label: "Le Monde.fr"
// for lemonde.fr, "Example News" for news.example.com.
func namesHost(part, host string) bool {
	label := hostLabel(host)
	if len(label) < 3 {
		return false
	}
	return strings.Contains(squash(part), label)
}

// hostLabel is the distinctive label of a host: "example" for
// www.example.co.uk, "" for an IP address.
func hostLabel(host string) string {
	if host == "" || net.ParseIP(host) != nil {
		return ""
	}
	labels := strings.Split(host, ".")
	// Drop the public suffix, roughly: the last label, and a second-level
	// one as short as "co"/"com"/"org" in "co.uk".
	if len(labels) > 1 {
		labels = labels[:len(labels)-1]
	}
	if n := len(labels); n > 1 && len(labels[n-1]) <= 3 {
		switch labels[n-1] {
		case "co", "com", "org", "net", "gov", "ac", "or", "ne", "go", "edu":
			labels = labels[:n-1]
		}
	}
	return squash(labels[len(labels)-1])
}

// squash lower-cases s and keeps letters and digits only.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tidy collapses whitespace.
func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitAll splits a title at every separator, dropping empty parts.
func splitAll(s string) []string {
	parts := []string{s}
	for _, sep := range separators {
		var next []string
		for _, p := range parts {
			for q := range strings.SplitSeq(p, sep) {
				if q = strings.TrimSpace(q); q != "" {
					next = append(next, q)
				}
			}
		}
		parts = next
	}
	return parts
}
