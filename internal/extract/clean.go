package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// stopMarkers are section headings that start the non-article tail of a page
// (link lists, comment threads, app promotions). Compared after normalize.
var stopMarkers = map[string]bool{
	"related": true, "related articles": true, "related stories": true, "related posts": true,
	"related news": true, "related content": true, "related coverage": true, "related links": true,
	"you may also like": true, "you might also like": true, "you may like": true,
	"more stories": true, "more news": true, "read next": true, "what to read next": true,
	"recommended": true, "recommended for you": true, "recommended stories": true,
	"trending": true, "trending now": true, "trending news": true, "trending stories": true,
	"most popular": true, "most read": true, "popular stories": true, "top stories": true,
	"latest news": true, "editors picks": true,
	"comments": true, "comment": true, "leave a comment": true, "leave a reply": true,
	"join the conversation": true, "hashtags": true, "tags": true,
}

// maxMarkerLen bounds the bytes of a block worth comparing with stopMarkers.
const maxMarkerLen = 40

// stopAfter is the share of the article text that must come before a stop
// marker: a "Related" heading near the top is more likely a real subheading.
const stopAfter = 0.4

// widgetStart matches the start of short blocks that are widgets, not
// article text. Anchored patterns are cheap to run on every block.
var widgetStart = regexp.MustCompile(`(?i)^(?:` + strings.Join([]string{
	`(thanks|thank you) for (signing up|subscribing)`,
	`try our ai features`,
	`explore what .{1,40} can do for you`,
	`no comments( yet)?\W*$`,
	`be the first to comment`,
	`comments are closed\W*$`,
	`continue reading( below)?\W*$`,
	`(story )?continues below( (this )?(ad|advertisement))?\W*$`,
	`(advertisement|sponsored( content)?|ad)\W*$`,
	`[\[(]?(read more|see more|more|also|related( (posts?|articles?|stories|story|content|reading|coverage))?|also read|read also|recommended|watch|listen|don't miss|must read)\s*[:|]`,
	`(filed under|posted in|tagged( with)?|categories|category)\s*:`,
	`(reading time|read time|tempo de leitura|tiempo de lectura|temps de lecture|lesezeit)\b`,
	`\d+\s*min(ute)?s?\s+read\W*$`,
	`also on [\w.-]+\.[a-z]{2,}\b`,
	`(have|got) a (news )?tip\b`,
	`(less|more|show (more|less)|close|share|tweet|email|print|sorry|loading)\W*$`,
	`(like this (story|article)\??\s*)?share (it|this|on)\b`,
	`(follow|like) (us|\w+) on (facebook|twitter|instagram|x|linkedin|youtube|tiktok)`,
	`follow (us|[\w .]{1,40}) on .{0,60}(facebook|twitter|instagram|youtube)`,
}, "|") + `)`)

// widgetPhrases match anywhere in a short block. Each has a keyword that
// must occur first, so the regexp only runs on the few blocks that have it.
var widgetPhrases = []struct {
	keyword string
	re      *regexp.Regexp
}{
	{"newsletter", regexp.MustCompile(`newsletter`)},
	{"sign", regexp.MustCompile(`\bsign(ing)? up\b.*\b(newsletters?|inbox|e-?mails|alerts|updates)\b`)},
	{"subscri", regexp.MustCompile(`\bsubscribe\b.*\b(newsletter|magazine|channel|podcast|inbox|today|now)\b`)},
	{"inbox", regexp.MustCompile(`keep an eye on your inbox`)},
	{"subscription", regexp.MustCompile(`error processing your subscription`)},
	{"app", regexp.MustCompile(`\bdownload (the|our) (\w+ )?app\b|\bget the (\w+ ){0,3}app\b`)},
	{"click", regexp.MustCompile(`\bclick(ing)? here\b`)},
	{"share of", regexp.MustCompile(`\b(earn|get|receive|make)s? a share of (the )?sales?\b`)},
	{"bookmark", regexp.MustCompile(`\bbookmark (us|this page)?\s*and sign up\b`)},
}

func isWidget(text string) bool {
	if widgetStart.MatchString(text) {
		return true
	}
	low := strings.ToLower(text)
	for _, w := range widgetPhrases {
		if strings.Contains(low, w.keyword) && w.re.MatchString(low) {
			return true
		}
	}
	return false
}

// boilerplateMax is the longest block (in runes) the boilerplate patterns may
// remove; longer blocks are article prose that happens to use such words.
const boilerplateMax = 200

// leadBlocks is how many blocks at the top are checked for a repeated title.
const leadBlocks = 3

// clean removes what trafilatura keeps but a news reader does not want in the
// article body: the headline repeated as the first line, widget blurbs
// (newsletter, app, share, comments), and everything after a "Related
// Articles"-style heading in the lower part of the text.
func clean(body *html.Node, title string) {
	blocks := childElements(body)
	texts := make([]string, len(blocks))
	total := 0
	for i, b := range blocks {
		texts[i] = strings.TrimSpace(textOf(b))
		total += len(texts[i])
	}

	seen := 0
	for i, t := range texts {
		if i > 0 && len(t) <= maxMarkerLen && stopMarkers[normalize(t)] && float64(seen) >= stopAfter*float64(total) {
			for _, b := range blocks[i:] {
				body.RemoveChild(b)
			}
			blocks, texts = blocks[:i], texts[:i]
			break
		}
		seen += len(t)
	}

	kept := blocks[:0]
	keptTexts := texts[:0]
	for i, b := range blocks {
		t := texts[i]
		if utf8.RuneCountInString(t) <= boilerplateMax && isWidget(t) {
			body.RemoveChild(b)
			continue
		}
		kept = append(kept, b)
		keptTexts = append(keptTexts, t)
	}

	// The headline and standfirst are shown apart from the body, so copies at
	// the top are noise: a block among the first few that repeats the title
	// (which may carry a site name or section before or after it), an <h1>
	// that opens the body, and a sentence-like subheading right under it.
	// (Dropping a leading copy of the meta description was measured too: it
	// removes real lead paragraphs on sites that reuse them, for no net gain.)
	nt := normalize(title)
	first, afterHeadline := true, false
	for i := 0; i < len(kept) && i < leadBlocks; i++ {
		t := normalize(keptTexts[i])
		if t == "" {
			continue
		}
		heading := isHeading(kept[i])
		if nt != "" && (t == nt || heading && (strings.HasPrefix(nt, t+" ") || strings.HasSuffix(nt, " "+t))) ||
			first && kept[i].Data == "h1" {
			body.RemoveChild(kept[i])
			first, afterHeadline = false, true
			continue
		}
		if afterHeadline && isDek(kept[i], keptTexts[i]) {
			body.RemoveChild(kept[i])
		}
		if utf8.RuneCountInString(keptTexts[i]) > boilerplateMax {
			break // past the top: the article has begun
		}
		first, afterHeadline = false, false
	}
}

// isDek reports whether a block right under the headline is a standfirst: a
// subheading written as a sentence rather than a section title.
func isDek(n *html.Node, text string) bool {
	if n.Data != "h2" && n.Data != "h3" {
		return false
	}
	text = strings.TrimSpace(text)
	return len(strings.Fields(text)) >= 8 && strings.ContainsAny(text[len(text)-1:], ".?!")
}

func childElements(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			out = append(out, c)
		}
	}
	return out
}

func isHeading(n *html.Node) bool {
	switch n.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6", "head":
		return true
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

// normalize lower-cases s, drops apostrophes and keeps only words separated
// by single spaces, so "Related Articles:" == "related articles".
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\'', '’', '‘', 'ʼ':
			return -1 // "editor’s" == "editors"
		}
		return unicode.ToLower(r)
	}, s)
	f := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	return strings.Join(f, " ")
}
