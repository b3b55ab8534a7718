// Package extract turns a fetched article page into clean text, sanitized HTML
// and metadata. It wraps go-trafilatura and adds charset decoding, canonical URL
// and lead image lookup, and a clean-up of news-site boilerplate.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	nurl "net/url"
	"strings"
	"time"

	"github.com/RadhiFadlillah/whatlanggo"
	"github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dateline-news/dateline/internal/decode"
	"github.com/dateline-news/dateline/internal/sanitize"
)

// MaxPageSize bounds the work on one page: bytes past it are ignored (the
// HTML parser closes what is left open). Real article pages are well below it.
const MaxPageSize = 4 << 20

// MaxElements bounds the elements the extractor sees after pruning; the rest
// of a longer page is dropped. The 88 benchmark pages have at most 1,500.
const MaxElements = 5000

// Result is one extracted article.
type Result struct {
	Title       string
	Author      string
	SiteName    string
	Language    string // ISO 639-1, "" when unknown
	Image       string // absolute URL of the lead image
	Canonical   string // absolute canonical URL of the page
	Description string
	Published   time.Time // zero when unknown
	Text        string    // plain text, paragraphs separated by "\n"
	HTML        string    // sanitized article HTML
}

// ErrNoContent is returned when a page has no article text.
var ErrNoContent = errors.New("no article content")

// options are the go-trafilatura settings Dateline uses, chosen by measurement
// on the article-extraction benchmark (see internal/eval/extraction).
type options struct {
	focus         trafilatura.ExtractionFocus
	fallback      bool
	excludeTables bool
	dedup         bool
	dateMode      trafilatura.HtmlDateMode
	clean         bool // Dateline's own boilerplate clean-up
	links, images bool
}

// defaults were picked on the 88 benchmark pages (F1, then CPU pages/s on
// one core of a busy 2-core machine, so speeds are only roughly comparable):
//
//	balanced, no fallback      0.974  ~61 pages/s   <- chosen
//	  same without clean-up    0.961
//	balanced, fallback         0.978  ~42 pages/s   (readability + distiller)
//	precision, fallback        0.977  ~43 pages/s
//	favor recall               0.976  same speed; a few pages each way: noise
//	favor precision            0.946  (recall drops to 0.92)
//	exclude tables             0.966
//	deduplicate                0.974  (no gain)
//	links and images kept      0.970  (go-trafilatura drops or moves link text)
//
// The fallback extractors buy +0.004 F1 for ~45% more CPU; Dateline extracts
// every fetched article, so speed wins.
var defaults = options{
	focus:    trafilatura.Balanced,
	fallback: false,
	dedup:    false,
	// Fast reads dates from metadata and the URL without the slow
	// free-text date parser.
	dateMode: trafilatura.Fast,
	clean:    true,
	// go-trafilatura's link handling loses or moves link text ("ago, <a>Chad
	// Thomas</a> has" comes out as "ago, has"), and images cost precision, so
	// the article HTML carries neither; the lead image comes from metadata.
	links:  false,
	images: false,
}

// Extract finds the article in page, an HTML document fetched from pageURL
// (used to resolve relative links; may be empty). It never panics: a failure
// inside the extractor comes back as an error.
func Extract(page []byte, pageURL string) (Result, error) {
	return extractWith(page, pageURL, "", defaults)
}

// ExtractTyped is Extract for a page fetched with the given Content-Type
// header, whose charset takes part in decoding the page.
func ExtractTyped(page []byte, pageURL, contentType string) (Result, error) {
	return extractWith(page, pageURL, decode.Label(contentType), defaults)
}

func extractWith(page []byte, pageURL, headerCharset string, o options) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = Result{}, fmt.Errorf("extract %s: extractor panic: %v", pageURL, r)
		}
	}()
	if len(page) > MaxPageSize {
		// Cut before a tag so no multi-byte character is split, which would
		// make a UTF-8 page look like Windows-1252.
		page = page[:MaxPageSize]
		if i := bytes.LastIndexByte(page, '<'); i > 0 {
			page = page[:i]
		}
	}
	doc, err := html.Parse(strings.NewReader(toUTF8(stripRawText(page), headerCharset)))
	if err != nil {
		return Result{}, fmt.Errorf("extract %s: parse html: %w", pageURL, err)
	}
	base, _ := nurl.Parse(pageURL)
	if base != nil && !base.IsAbs() {
		base = nil
	}
	// <base href> changes how the page's own relative links resolve.
	if b := baseHref(doc, base); b != nil {
		base = b
	}
	canonical := canonicalURL(doc, base)
	prune(doc)
	truncate(doc, MaxElements)

	topts := trafilatura.Options{
		Focus:           o.focus,
		EnableFallback:  o.fallback,
		ExcludeComments: true,
		ExcludeTables:   o.excludeTables,
		IncludeImages:   o.images,
		IncludeLinks:    o.links,
		Deduplicate:     o.dedup,
		HtmlDateMode:    o.dateMode,
	}
	if base != nil {
		topts.OriginalURL = base
	}
	published := metaTimestamp(doc)
	if !published.IsZero() {
		published = published.UTC()
		topts.HtmlDateOverride = &htmldate.Result{DateTime: published, HasTime: true}
	}
	tr, err := trafilatura.ExtractDocument(doc, topts)
	if err != nil {
		return Result{}, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	if tr == nil || tr.ContentNode == nil {
		return Result{}, fmt.Errorf("extract %s: %w", pageURL, ErrNoContent)
	}

	body := tr.ContentNode
	if o.clean {
		clean(body, tr.Metadata.Title)
	}
	spaceInline(body)
	resolveURLs(body, base)
	var buf bytes.Buffer
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&buf, c); err != nil {
			return Result{}, fmt.Errorf("extract %s: render html: %w", pageURL, err)
		}
	}
	safe := sanitize.HTML(buf.String())
	text := sanitize.Text(safe)
	if strings.TrimSpace(text) == "" {
		return Result{}, fmt.Errorf("extract %s: %w", pageURL, ErrNoContent)
	}

	m := tr.Metadata
	res = Result{
		Title:       strings.TrimSpace(m.Title),
		Author:      strings.TrimSpace(m.Author),
		SiteName:    strings.TrimSpace(m.Sitename),
		Description: strings.TrimSpace(m.Description),
		Published:   m.Date, // the override when there was one
		Canonical:   canonical,
		Text:        text,
		HTML:        safe,
	}
	res.Image = absHTTP(m.Image, base)
	if res.Image == "" {
		res.Image = metaImage(doc, base)
	}
	if res.Image == "" {
		res.Image = leadImage(doc, base) // trafilatura works on a copy: doc is intact
	}
	res.Language = language(m.Language, doc, text)
	return res, nil
}

// language prefers trafilatura's guess (whatlanggo on the article text), then
// the page's <html lang>, then whatlanggo when it is confident.
func language(fromMeta string, doc *html.Node, text string) string {
	if fromMeta != "" {
		return strings.ToLower(fromMeta)
	}
	if h := findElement(doc, atom.Html); h != nil {
		if l := attr(h, "lang"); l != "" {
			l = strings.ToLower(strings.TrimSpace(l))
			if i := strings.IndexAny(l, "-_"); i > 0 {
				l = l[:i]
			}
			if len(l) == 2 {
				return l
			}
		}
	}
	if info := whatlanggo.Detect(text); info.IsReliable() {
		return info.Lang.Iso6391()
	}
	return ""
}
