// Package canon turns article URLs into one canonical spelling, so the same
// article reached through different links (tracking parameters, default
// ports, fragments, parameter order) is stored and deduplicated once.
package canon

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query keys (compared lower-cased) that only identify how
// a reader arrived, never which document is served.
var trackingParams = map[string]bool{
	// ad and social click identifiers
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "igshid": true, "li_fat_id": true,
	"epik": true, "rb_clickid": true, "s_cid": true, "ncid": true,
	// analytics cookies passed in links
	"_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true, "__hsfp": true,
	"hsctatracking": true, "mkt_tok": true, "vero_id": true, "vero_conv": true, "oly_anon_id": true,
	"oly_enc_id": true, "wickedid": true, "__twitter_impression": true,
	// newsletters (Mailchimp and the like)
	"mc_cid": true, "mc_eid": true, "tpcc": true,
	// publishers' own campaign tags
	"cmpid": true, "cmp": true, "intcmp": true, "icid": true, "ocid": true, "xtor": true, "ito": true,
	"smid": true, "smtyp": true, "ftag": true, "ref_src": true, "ref_url": true, "soc_src": true,
	"soc_trk": true, "sr_share": true, "guccounter": true, "guce_referrer": true, "guce_referrer_sig": true,
	"at_medium": true, "at_campaign": true, "at_custom1": true, "at_custom2": true, "at_custom3": true,
	"at_custom4": true, "at_link": true, "at_link_id": true, "at_link_type": true, "at_format": true,
	"at_ptr_name": true, "at_bbc_team": true,
}

// trackingPrefixes are key prefixes for whole families of tracking parameters.
var trackingPrefixes = []string{"utm_", "ns_", "pk_", "mtm_", "piwik_", "matomo_", "hmb_"}

// IsTrackingParam reports whether a query key only tracks campaigns or clicks.
func IsTrackingParam(key string) bool {
	k := strings.ToLower(key)
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// URL returns the canonical form of an absolute http(s) URL: lower-case
// scheme and host, no default port, no fragment, no tracking parameters,
// remaining parameters sorted, dot segments resolved, empty path as "/".
// The path's case and escaping are kept, as servers may treat them as
// significant.
func URL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonicalize url: %w", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("canonicalize url %q: %w", raw, ErrNotHTTP)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("canonicalize url %q: %w", raw, ErrNoHost)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil // credentials never identify an article and must not be stored
	u.Fragment, u.RawFragment = "", ""

	p := removeDotSegments(upperEscapes(u.EscapedPath()))
	if p == "" {
		p = "/"
	}
	// Setting RawPath keeps the original escaping (e.g. %2F) when valid.
	if dec, err := url.PathUnescape(p); err == nil {
		u.Path, u.RawPath = dec, p
	}
	u.RawQuery = cleanQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String(), nil
}

// Errors returned by URL.
var (
	ErrNotHTTP = errors.New("not an http(s) URL")
	ErrNoHost  = errors.New("no host")
)

// cleanQuery drops tracking and empty parameters and sorts the rest, keeping
// each pair's original encoding.
func cleanQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var keep []string
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if key == "" || IsTrackingParam(key) {
			continue
		}
		keep = append(keep, upperEscapes(pair))
	}
	sort.Strings(keep)
	return strings.Join(keep, "&")
}

// upperEscapes writes percent-escapes with upper-case hex (RFC 3986 6.2.2.1).
func upperEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			b[i+1], b[i+2] = upperHex(b[i+1]), upperHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

// removeDotSegments resolves "." and ".." segments (RFC 3986 5.2.4) while
// keeping a trailing slash and repeated slashes, which path.Clean would drop.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// Resolve resolves ref against base, as a browser resolves a link on the page
// at base. It returns ref unchanged (trimmed) when either fails to parse or
// base is empty, so callers can always store something.
func Resolve(base, ref string) string {
	ref = strings.TrimSpace(ref)
	base = strings.TrimSpace(base)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if base == "" || r.IsAbs() {
		return r.String()
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
