package fetch

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// RobotsMaxBytes is how much of a robots.txt is read and parsed. RFC 9309
// asks crawlers to parse at least 500 KiB; lines past the cap are ignored.
const RobotsMaxBytes = 500 << 10

// MaxCrawlDelay caps a site's Crawl-delay, so one site cannot hold a page
// worker (and every request to that host) for minutes.
const MaxCrawlDelay = 30 * time.Second

// Robots is the part of a robots.txt that applies to one product token.
// The zero value allows everything.
type Robots struct {
	rules []robotsRule
	delay time.Duration
}

type robotsRule struct {
	pattern string // normalized by robotsPath
	allow   bool
}

// ParseRobots reads a robots.txt (RFC 9309) for the crawler whose product
// token is token: the groups naming token (case-insensitively) are merged,
// and only when there are none the groups for "*". Malformed lines are
// skipped, a UTF-8 BOM and any line ending are accepted, and a file longer
// than RobotsMaxBytes is read up to its last whole line under the cap.
// Crawl-delay (not in RFC 9309, but widely used) is kept, capped at
// MaxCrawlDelay.
func ParseRobots(data []byte, token string) Robots {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(data) > RobotsMaxBytes {
		data = data[:RobotsMaxBytes]
		// A cut line could say anything; drop it.
		data = data[:bytes.LastIndexAny(data, "\r\n")+1]
	}
	// A group is a run of user-agent lines and the rules after it; it is
	// resolved at the end, since an agent line may follow a Crawl-delay.
	type group struct {
		mine, star bool
		Robots
	}
	var (
		groups   []group
		inAgents bool // the last user-agent, allow or disallow line was a user-agent line
	)
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		key := strings.ToLower(string(bytes.TrimSpace(k)))
		val := string(bytes.TrimSpace(v))
		if key == "user-agent" {
			// Consecutive user-agent lines share the group that follows them.
			if !inAgents {
				groups = append(groups, group{})
				inAgents = true
			}
			g := &groups[len(groups)-1]
			if val == "*" || strings.HasPrefix(val, "* ") || strings.HasPrefix(val, "*\t") {
				g.star = true
			} else if name := agentToken(val); name != "" && strings.EqualFold(name, token) {
				g.mine = true
			}
			continue
		}
		if len(groups) == 0 {
			continue // rules before any user-agent line belong to no one
		}
		g := &groups[len(groups)-1]
		switch key {
		case "allow", "disallow":
			inAgents = false
			if val != "" { // an empty rule matches nothing ("Disallow:" allows all)
				g.rules = append(g.rules, robotsRule{pattern: robotsPath(val), allow: key == "allow"})
			}
		case "crawl-delay":
			// Like Google's parser, only allow and disallow end a run of
			// user-agent lines; other lines leave the group open.
			secs, err := strconv.ParseFloat(val, 64)
			if err != nil || !(secs >= 0) {
				continue
			}
			g.delay = MaxCrawlDelay
			if secs < MaxCrawlDelay.Seconds() {
				g.delay = time.Duration(secs * float64(time.Second))
			}
		}
	}
	// The groups naming us, merged; only when there are none, those for "*".
	var mine, star Robots
	var sawMine bool
	for _, g := range groups {
		if g.mine {
			sawMine = true
			mine.rules = append(mine.rules, g.rules...)
			mine.delay = max(mine.delay, g.delay)
		}
		if g.star {
			star.rules = append(star.rules, g.rules...)
			star.delay = max(star.delay, g.delay)
		}
	}
	if sawMine {
		return mine
	}
	return star
}

// agentToken is the product token at the start of a user-agent value
// ("Dateline/0.1 (+url)" -> "Dateline"): letters, '_' and '-'.
func agentToken(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
			return s[:i]
		}
	}
	return s
}

// Allowed reports whether the path (with its query, as in a request line)
// may be fetched: the longest matching rule decides, an Allow beats an
// equally long Disallow, and no match allows. /robots.txt is always allowed.
func (r Robots) Allowed(pathQuery string) bool {
	p := robotsPath(pathQuery)
	if p == "/robots.txt" {
		return true
	}
	best, allowed := -1, true
	for _, rule := range r.rules {
		n := len(rule.pattern)
		if n < best || (n == best && allowed) || !robotsMatch(rule.pattern, p) {
			continue
		}
		best, allowed = n, rule.allow
	}
	return allowed
}

// CrawlDelay is the group's Crawl-delay, capped at MaxCrawlDelay; zero if none.
func (r Robots) CrawlDelay() time.Duration { return r.delay }

// robotsMatch reports whether path starts with pattern, where '*' in the
// pattern stands for any run of octets and a final '$' anchors the end.
// Segments between stars are matched leftmost, which leaves the most room
// for the rest and so finds a match whenever there is one.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	seg, pattern, star := strings.Cut(pattern, "*")
	if !strings.HasPrefix(path, seg) {
		return false
	}
	path = path[len(seg):]
	if !star {
		return !anchored || path == ""
	}
	for {
		seg, pattern, star = strings.Cut(pattern, "*")
		if !star {
			if anchored {
				return strings.HasSuffix(path, seg)
			}
			return strings.Contains(path, seg)
		}
		i := strings.Index(path, seg)
		if i < 0 {
			return false
		}
		path = path[i+len(seg):]
	}
}

// robotsPath makes rule patterns and request paths comparable octet by octet
// (RFC 9309 section 2.2.2): octets outside printable ASCII are
// percent-encoded, escapes get upper-case hex, and escaped unreserved
// characters are decoded, so "/caf%c3%a9", "/café" and "/caf%C3%A9" agree,
// as do "/%7Eed" and "/~ed".
func robotsPath(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = s[i] > ' ' && s[i] < 0x7f && s[i] != '%'
	}
	if clean {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[v>>4])
				b.WriteByte(hex[v&15])
			}
			i += 2
		case c <= ' ' || c >= 0x7f:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}
