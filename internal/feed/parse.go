// Package feed parses RSS, Atom and JSON feeds into plain items, decides
// when to poll a feed next, reads and writes OPML, and ships the default
// subscription list.
package feed

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/canon"
	"github.com/dateline-news/dateline/internal/decode"
	"github.com/mmcdole/gofeed"
	gext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// Parsed is a feed reduced to what the aggregator uses.
type Parsed struct {
	Title    string
	HomeURL  string // the site the feed belongs to, absolute; empty if the feed names none
	Language string // lower-case tag as declared, e.g. "en-gb"; may be empty
	Format   string // "rss", "atom" or "json"
	// TTL is how long the publisher asks readers to cache the feed (RSS
	// <ttl>, or sy:updatePeriod/sy:updateFrequency); zero when unstated.
	TTL time.Duration
	// SkipHours are UTC hours (0-23) in which the publisher asks not to be polled.
	SkipHours []int
	Items     []Item
}

// Item is one entry of a feed.
type Item struct {
	// GUID identifies the item within its feed: the feed's id/guid, else
	// the URL, else a hash of title, date and summary.
	GUID        string
	URL         string // absolute (resolved against the feed URL), not canonicalized
	Title       string // plain text
	Author      string
	Summary     string // as in the feed, often HTML; sanitize before display
	ContentHTML string // full content when the feed carries it; sanitize before display
	Image       string // absolute URL of a lead image, if any
	Published   time.Time
}

// Errors returned (wrapped) by Parse, so callers can tell a dead feed from a
// broken one.
var (
	ErrEmpty         = errors.New("empty feed body")
	ErrNotFeed       = errors.New("not a feed: got an HTML page")
	ErrMalformed     = errors.New("malformed feed")
	ErrUnknownFormat = errors.New("not a feed: unknown format")
)

// Parse parses a feed body. contentType (the HTTP header, may be empty)
// helps with bodies whose encoding is undeclared; feedURL resolves relative
// links. Parse never panics.
func Parse(body []byte, contentType, feedURL string) (p *Parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("parse feed %s: %w: parser panic: %v", feedURL, ErrMalformed, r)
		}
	}()
	if len(bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))) == 0 {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, ErrEmpty)
	}
	body = toUTF8(body, contentType)

	fp := gofeed.NewParser()
	fp.KeepOriginalFeed = true // for RSS <ttl> and <skipHours>
	f, perr := fp.Parse(bytes.NewReader(body))
	if perr != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, classify(body, perr))
	}
	return convert(f, feedURL), nil
}

// classify turns a gofeed failure into one of our errors with a reason.
func classify(body []byte, perr error) error {
	if !errors.Is(perr, gofeed.ErrFeedTypeNotDetected) {
		return fmt.Errorf("%w: %v", ErrMalformed, perr)
	}
	if looksLikeHTML(body) {
		return ErrNotFeed
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '<' {
		if err := wellFormed(body); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return fmt.Errorf("%w: root element is <%s>", ErrUnknownFormat, rootName(body))
	}
	return ErrUnknownFormat
}

var htmlStart = regexp.MustCompile(`(?i)<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])`)

// looksLikeHTML reports whether a body that is not a feed is a web page: an
// HTML doctype or html/head/body element near the start.
func looksLikeHTML(body []byte) bool {
	head := body[:min(len(body), 2048)]
	return htmlStart.Match(head)
}

func wellFormed(body []byte) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func rootName(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	for {
		t, err := d.Token()
		if err != nil {
			return "?"
		}
		if se, ok := t.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

func convert(f *gofeed.Feed, feedURL string) *Parsed {
	p := &Parsed{
		Title:    cleanText(f.Title),
		HomeURL:  resolve(feedURL, f.Link),
		Language: normLang(f.Language),
		Format:   f.FeedType,
	}
	if r, ok := f.OriginalFeed().(*rss.Feed); ok {
		p.TTL = rssTTL(r)
		p.SkipHours = skipHours(r.SkipHours)
	}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		if item, ok := convertItem(it, feedURL); ok {
			p.Items = append(p.Items, item)
		}
	}
	return p
}

func convertItem(it *gofeed.Item, feedURL string) (Item, bool) {
	link := strings.TrimSpace(it.Link)
	if link == "" && len(it.Links) > 0 {
		link = strings.TrimSpace(it.Links[0])
	}
	guid := strings.TrimSpace(it.GUID)
	if link == "" && isHTTPURL(guid) { // RSS permalink guid
		link = guid
	}
	item := Item{
		URL:         resolve(feedURL, link),
		Title:       cleanText(it.Title),
		Author:      author(it),
		Summary:     strings.TrimSpace(it.Description),
		ContentHTML: strings.TrimSpace(it.Content),
		Image:       resolve(feedURL, image(it)),
	}
	switch {
	case it.PublishedParsed != nil:
		item.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		item.Published = it.UpdatedParsed.UTC()
	}
	item.GUID = guid
	if item.GUID == "" {
		item.GUID = item.URL
	}
	if item.GUID == "" {
		if item.Title == "" && item.Summary == "" && item.ContentHTML == "" {
			return Item{}, false // nothing to identify or show
		}
		h := sha1.Sum([]byte(item.Title + "\x00" + item.Published.Format(time.RFC3339) + "\x00" + item.Summary + item.ContentHTML))
		item.GUID = "sha1:" + hex.EncodeToString(h[:])
	}
	return item, true
}

func author(it *gofeed.Item) string {
	for _, a := range it.Authors {
		if a == nil {
			continue
		}
		if n := cleanText(a.Name); n != "" {
			return n
		}
	}
	if it.Author != nil {
		if n := cleanText(it.Author.Name); n != "" {
			return n
		}
	}
	if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
		return cleanText(it.DublinCoreExt.Creator[0])
	}
	return ""
}

// image picks a lead image: Media RSS contents and thumbnails (also inside
// media:group), image enclosures, the first real picture in the item's HTML,
// then whatever else the parser found (gofeed's choice may be a tracking
// pixel from the content, so it comes last).
func image(it *gofeed.Item) string {
	if media, ok := it.Extensions["media"]; ok {
		if u := mediaImage(media); u != "" {
			return u
		}
		for _, g := range media["group"] {
			if u := mediaImage(g.Children); u != "" {
				return u
			}
		}
	}
	for _, e := range it.Enclosures {
		if e == nil {
			continue
		}
		if strings.HasPrefix(strings.ToLower(e.Type), "image/") || (e.Type == "" && hasImageExt(e.URL)) {
			return strings.TrimSpace(e.URL)
		}
	}
	for _, h := range []string{it.Content, it.Description} {
		if u := firstImg(h); u != "" {
			return u
		}
	}
	if it.Image != nil {
		if u := strings.TrimSpace(it.Image.URL); u != "" && !strings.HasPrefix(strings.ToLower(u), "data:") && !strings.Contains(it.Content+it.Description, u) {
			return u // the parser's own find (e.g. an itunes:image), not a picture we refused above
		}
	}
	return ""
}

// firstImg is the src of the first <img> in an HTML fragment that is not a
// tracking pixel (declared 1x1) or inline data.
func firstImg(fragment string) string {
	if !strings.Contains(fragment, "<img") && !strings.Contains(fragment, "<IMG") {
		return ""
	}
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			t := z.Token()
			if t.Data != "img" {
				continue
			}
			var src, w, h string
			for _, a := range t.Attr {
				switch a.Key {
				case "src":
					src = strings.TrimSpace(a.Val)
				case "width":
					w = a.Val
				case "height":
					h = a.Val
				}
			}
			if src == "" || strings.HasPrefix(strings.ToLower(src), "data:") || w == "1" || h == "1" {
				continue
			}
			return src
		}
	}
}

func mediaImage(m map[string][]gext.Extension) string {
	for _, c := range m["content"] {
		typ, medium := strings.ToLower(c.Attrs["type"]), strings.ToLower(c.Attrs["medium"])
		if c.Attrs["url"] != "" && (strings.HasPrefix(typ, "image/") || medium == "image" || (typ == "" && medium == "" && hasImageExt(c.Attrs["url"]))) {
			return strings.TrimSpace(c.Attrs["url"])
		}
	}
	for _, c := range m["thumbnail"] {
		if u := strings.TrimSpace(c.Attrs["url"]); u != "" {
			return u
		}
	}
	return ""
}

func hasImageExt(u string) bool {
	u = strings.ToLower(u)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	for _, e := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"} {
		if strings.HasSuffix(u, e) {
			return true
		}
	}
	return false
}

// rssTTL reads <ttl> (minutes), else the syndication module's update period.
func rssTTL(r *rss.Feed) time.Duration {
	if m, err := strconv.Atoi(strings.TrimSpace(r.TTL)); err == nil && m > 0 {
		return time.Duration(m) * time.Minute
	}
	sy := r.Extensions["sy"]
	if sy == nil {
		return 0
	}
	var period time.Duration
	if v := sy["updatePeriod"]; len(v) > 0 {
		switch strings.ToLower(strings.TrimSpace(v[0].Value)) {
		case "hourly":
			period = time.Hour
		case "daily":
			period = 24 * time.Hour
		case "weekly":
			period = 7 * 24 * time.Hour
		case "monthly":
			period = 30 * 24 * time.Hour
		case "yearly":
			period = 365 * 24 * time.Hour
		}
	}
	if period == 0 {
		return 0
	}
	freq := 1
	if v := sy["updateFrequency"]; len(v) > 0 {
		if n, err := strconv.Atoi(strings.TrimSpace(v[0].Value)); err == nil && n > 0 {
			freq = n
		}
	}
	return period / time.Duration(freq)
}

func skipHours(raw []string) []int {
	var hours []int
	for _, s := range raw {
		h, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || h < 0 || h > 24 {
			continue
		}
		h %= 24 // some feeds write 24 for midnight
		if !slices.Contains(hours, h) {
			hours = append(hours, h)
		}
	}
	slices.Sort(hours)
	return hours
}

func normLang(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
}

func resolve(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	return canon.Resolve(base, ref)
}

func isHTTPURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// cleanText turns a title-like field into plain text: tags dropped,
// entities decoded, whitespace collapsed.
func cleanText(s string) string {
	if strings.Contains(s, "<") {
		var b strings.Builder
		z := xhtml.NewTokenizer(strings.NewReader(s))
		for {
			tt := z.Next()
			if tt == xhtml.ErrorToken {
				break
			}
			if tt == xhtml.TextToken {
				b.Write(z.Text()) // Text() decodes entities
			} else {
				b.WriteByte(' ')
			}
		}
		s = b.String()
	} else if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// xmlDecl matches the XML declaration and captures its encoding value.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']`)

// toUTF8 returns body as UTF-8 with any XML declaration saying so. UTF-16
// (BOM or NUL pattern) is decoded; otherwise the rule shared with article
// pages decides (internal/decode): valid UTF-8 is UTF-8, then the XML
// declaration's encoding, then the HTTP header's, with a sniff for missing
// or Latin-1 default labels; invalid bytes left over are read as
// Windows-1252 and valid UTF-8 sequences kept, which also mends feeds that
// mix both.
func toUTF8(body []byte, contentType string) []byte {
	body = bytes.TrimPrefix(body, utf8BOM)
	if enc := utf16Encoding(body); enc != nil {
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			return declareUTF8(bytes.TrimPrefix(out, utf8BOM))
		}
	}
	label := ""
	if m := xmlDecl.FindSubmatch(body[:min(len(body), 512)]); m != nil {
		label = string(m[1])
	}
	enc, _ := decode.Choose(body, label, decode.Label(contentType))
	return declareUTF8(decode.ToUTF8(body, enc))
}

func isUTF8Label(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return l == "utf-8" || l == "utf8"
}

func utf16Encoding(b []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0, '<'}):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{'<', 0}):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	return nil
}

// declareUTF8 rewrites the XML declaration's encoding to UTF-8 so the XML
// decoder does not convert the already converted text a second time.
func declareUTF8(body []byte) []byte {
	loc := xmlDecl.FindSubmatchIndex(body[:min(len(body), 512)])
	if loc == nil || isUTF8Label(string(body[loc[2]:loc[3]])) {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:loc[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, body[loc[3]:]...)
}
