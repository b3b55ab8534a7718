package extract

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// publishedMeta are <meta> names and properties that carry the publication
// timestamp, in order of trust.
var publishedMeta = []string{
	"article:published_time", "og:article:published_time", "og:published_time",
	"datepublished", "parsely-pub-date", "sailthru.date", "pubdate", "publishdate",
	"publish-date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date",
}

var jsonLDPublished = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{8,40})"`)

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.000Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	time.RFC1123Z,
	time.RFC1123,
}

// publishedTime refines the day go-htmldate found (it keeps dates, not times)
// with the full timestamp from the page's metadata, when that falls on the
// same day. With no day from htmldate, the metadata timestamp is used as is.
func publishedTime(doc *html.Node, day time.Time) time.Time {
	ts := metaTimestamp(doc)
	if ts.IsZero() {
		return day
	}
	if day.IsZero() {
		return ts.UTC()
	}
	y1, m1, d1 := ts.Date()
	y2, m2, d2 := day.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return ts.UTC()
	}
	return day
}

// metaTimestamp reads the first parseable timestamp with a time of day from
// the page's meta tags, itemprop=datePublished or JSON-LD datePublished.
func metaTimestamp(doc *html.Node) time.Time {
	found := map[string]string{}
	var itemprop, jsonLD string
	walk(doc, func(e *html.Node) bool {
		switch e.DataAtom {
		case atom.Meta:
			key := strings.ToLower(attr(e, "property"))
			if key == "" {
				key = strings.ToLower(attr(e, "name"))
			}
			if key == "" {
				key = strings.ToLower(attr(e, "itemprop"))
			}
			if _, ok := found[key]; !ok && key != "" {
				found[key] = attr(e, "content")
			}
		case atom.Time:
			if itemprop == "" && strings.EqualFold(attr(e, "itemprop"), "datePublished") {
				itemprop = attr(e, "datetime")
			}
		case atom.Script:
			if jsonLD == "" && strings.Contains(strings.ToLower(attr(e, "type")), "ld+json") && e.FirstChild != nil {
				if m := jsonLDPublished.FindStringSubmatch(e.FirstChild.Data); m != nil {
					jsonLD = m[1]
				}
			}
			return false
		}
		return true
	})
	var candidates []string
	for _, k := range publishedMeta {
		if v := found[k]; v != "" {
			candidates = append(candidates, v)
		}
	}
	candidates = append(candidates, itemprop, jsonLD)
	for _, c := range candidates {
		if t, ok := parseTimestamp(c); ok {
			return t
		}
	}
	return time.Time{}
}

// parseTimestamp accepts only values with a time of day: a bare date adds
// nothing to what htmldate found.
func parseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < len("2006-01-02T15:04") {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil && t.Year() > 1990 {
			return t, true
		}
	}
	return time.Time{}, false
}
