package extract

import (
	"bytes"
	nurl "net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func parseBody(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<body>" + s))
	if err != nil {
		t.Fatal(err)
	}
	return findElement(doc, atom.Body)
}

func render(t *testing.T, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func TestClean(t *testing.T) {
	long := "<p>" + strings.Repeat("Article text that is long enough to be the body. ", 6) + "</p>"
	tests := []struct {
		name, title, in, want string
	}{
		{"keeps plain article", "T", long + long, long + long},
		{"drops repeated title", "Bridge vote: council says yes", "<h1>Bridge vote: council says yes</h1>" + long, long},
		{"drops title without site suffix", "Bridge vote | Gazette", "<h2>Bridge vote</h2>" + long, long},
		{"drops title with section prefix", "Opinion | Is it a crime?", "<h1>Is it a crime?</h1>" + long, long},
		{"drops curly-quoted title", "'The Medium': a festival | Site", "<h2>‘The Medium’: a festival</h2>" + long, long},
		{"drops opening h1 that differs from the title", "Row seems over", "<h1>Singer may play after all</h1>" + long, long},
		{"drops standfirst under the headline", "T", "<h1>Headline</h1><h2>Assaults have led to lawsuits before, but a charge is hard to prove.</h2>" + long, long},
		{"keeps section heading under the headline", "T", "<h1>Headline</h1><h2>Background</h2>" + long, "<h2>Background</h2>" + long},
		{"drops title after a lead paragraph", "Deals are live - Site", "<p>Welcome to deals.</p><h1>Deals are live</h1>" + long, "<p>Welcome to deals.</p>" + long},
		{"keeps paragraph that only starts like the title", "Bridge vote | Gazette", "<p>Bridge vote</p>" + long, "<p>Bridge vote</p>" + long},
		{"keeps title-like text further down", "Bridge", long + "<h2>Bridge</h2>" + long, long + "<h2>Bridge</h2>" + long},
		{"stop marker cuts the tail", "T", long + long + "<h3>Related Articles</h3><p>Other story</p><p>Another</p>", long + long},
		{"stop marker with punctuation", "T", long + long + "<h3>You may also like...</h3><p>x</p>", long + long},
		{"stop marker near the top is kept", "T", "<h3>Related</h3>" + long + long, "<h3>Related</h3>" + long + long},
		{"widgets dropped", "T",
			long + "<p>Sign up for our daily newsletter.</p><p>Try Our AI Features</p><p>No comments yet...</p><p>CLICK HERE TO GET THE APP</p><p>Read more: Another story</p>" + long,
			long + long},
		{"ui words and tip lines dropped", "T",
			long + "<p>less</p><p>Sorry!</p><p>Have a tip? Jane Doe may be reached at jane@example.com.</p>" + long,
			long + long},
		{"seed newsletter blurb dropped", "T",
			long + long + "<p>Our website is the place for the latest breaking news, exclusive scoops, longreads and provocative commentary. Please bookmark and sign up for our daily newsletter, Posted, here .</p>",
			long + long},
		{"related and meta lines dropped", "T",
			long + "<p>[Related: Another story about the bridge]</p><p>Related post: Pickled sprouts</p><p>Tempo de leitura: 1 minuto</p><p>5 min read</p><p>Filed under: Bridges |</p>" + long,
			long + long},
		{"long prose mentioning a newsletter is kept", "T",
			"<p>" + strings.Repeat("The mayors newsletter to residents explained the plan in detail. ", 4) + "</p>" + long,
			"<p>" + strings.Repeat("The mayors newsletter to residents explained the plan in detail. ", 4) + "</p>" + long},
		{"sentence starting like a widget is kept", "T",
			long + "<p>No comments have been received by the council so far.</p>" + long,
			long + "<p>No comments have been received by the council so far.</p>" + long},
		{"sign up without newsletter words is kept", "T",
			long + "<ul><li>Sign up for a Hulu ad-free account for $11.99 a month</li></ul>",
			long + "<ul><li>Sign up for a Hulu ad-free account for $11.99 a month</li></ul>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := parseBody(t, tt.in)
			clean(body, tt.title)
			if got := render(t, body); got != tt.want {
				t.Errorf("clean =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"ascii", []byte("<p>hello</p>"), "<p>hello</p>"},
		{"utf8", []byte("<p>café</p>"), "<p>café</p>"},
		{"bom", []byte("\xEF\xBB\xBF<p>café</p>"), "<p>café</p>"},
		{"utf16le bom", []byte("\xFF\xFE<\x00p\x00>\x00\xE9\x00"), "<p>é"},
		{"latin1 declared", []byte(`<meta charset="latin1"><p>caf` + "\xE9</p>"), `<meta charset="latin1"><p>café</p>`},
		{"latin1 undeclared", []byte("<p>caf\xE9</p>"), "<p>café</p>"},
		{"cp1252 quotes", []byte("<p>\x93hi\x94</p>"), "<p>\u201chi\u201d</p>"},
		{"mislabelled utf8", []byte(`<meta charset="iso-8859-1"><p>café</p>`), `<meta charset="iso-8859-1"><p>café</p>`},
		{"shift_jis declared", []byte(`<meta charset="shift_jis"><p>` + "\x93\xfa\x96\x7b</p>"), `<meta charset="shift_jis"><p>日本</p>`},
		{"nfc", []byte("<p>cafe\u0301</p>"), "<p>café</p>"},
		{"soft hyphen", []byte("<p>ex\u00ADample</p>"), "<p>example</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toUTF8(tt.in, ""); got != tt.want {
				t.Errorf("toUTF8(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripRawText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>a</p>", "<p>a</p>"},
		{"<script>var a = '<p>';</script><p>x</p>", "<script></script><p>x</p>"},
		{"<SCRIPT type=text/javascript>x</SCRIPT >y", "<SCRIPT type=text/javascript></SCRIPT >y"},
		{`<script type="application/ld+json">{"a":1}</script>`, `<script type="application/ld+json">{"a":1}</script>`},
		{"<style>p{color:red}</style><p>x</p>", "<style></style><p>x</p>"},
		{"<!-- <script> --><p>kept</p><script>x</script>", "<p>kept</p><script></script>"},
		{`<svg viewBox="0 0 1 1"><path d="M0 0"/><text>x</text></svg><p>y</p>`, `<svg viewBox="0 0 1 1"></svg><p>y</p>`},
		{"<!-- unterminated <p>x</p>", "<!-- unterminated <p>x</p>"},
		{"<textarea><script>x</textarea><p>kept</p>", "<textarea><script>x</textarea><p>kept</p>"},
		{"<script><!-- document.write('<script></script>') --></script>", "<script><!-- document.write('<script></script>') --></script>"},
		{"<scripts>not a script</scripts>", "<scripts>not a script</scripts>"},
		{"<script>unterminated", "<script>unterminated"},
		{"a < b <", "a < b <"},
	}
	for _, tt := range tests {
		if got := string(stripRawText([]byte(tt.in))); got != tt.want {
			t.Errorf("stripRawText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	body := parseBody(t, "<div><p>1</p><p>2</p></div><p>3</p><div><p>4</p></div>")
	// Counted from the document: html, head, body, div, p(1) is the fifth;
	// it is kept without its contents, everything after it goes.
	doc := body.Parent.Parent
	truncate(doc, 5)
	if got, want := render(t, body), "<div><p></p></div>"; got != want {
		t.Errorf("truncate = %q, want %q", got, want)
	}
}

func TestCanonicalURL(t *testing.T) {
	base, _ := nurl.Parse("https://news.example/a/b?x=1")
	tests := []struct{ head, want string }{
		{`<link rel="canonical" href="https://news.example/story">`, "https://news.example/story"},
		{`<link rel="Canonical" href="/story">`, "https://news.example/story"},
		{`<link rel="alternate canonical" href="../c">`, "https://news.example/c"},
		{`<meta property="og:url" content="https://news.example/og">`, "https://news.example/og"},
		{`<link rel="canonical" href="javascript:alert(1)">`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		doc, _ := html.Parse(strings.NewReader("<html><head>" + tt.head + "</head><body><link rel=canonical href=/body></body></html>"))
		if got := canonicalURL(doc, base); got != tt.want {
			t.Errorf("canonicalURL(%s) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestSpaceInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Since <strong>Olivier</strong>injury a<b>b</b></p>", "<p>Since <strong>Olivier</strong> injury a <b>b</b></p>"},
		{"<p>ago,<a><strong>Chad</strong></a>has</p>", "<p>ago, <a><strong>Chad</strong></a> has</p>"},
		{"<p><a>Trump</a>’s plan, <em>said</em>. (<i>x</i>)</p>", "<p><a>Trump</a>’s plan, <em>said</em>. (<i>x</i>)</p>"},
		{"<p>one</p><p>two</p>", "<p>one</p><p>two</p>"},
		{"<p><b>a</b><i>b</i></p>", "<p><b>a</b> <i>b</i></p>"},
	}
	for _, tt := range tests {
		body := parseBody(t, tt.in)
		spaceInline(body)
		if got := render(t, body); got != tt.want {
			t.Errorf("spaceInline(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestMetaTimestamp(t *testing.T) {
	tests := []struct {
		name, head string
		want       time.Time
	}{
		{"article meta with zone", `<meta property="article:published_time" content="2019-11-19T13:03:00-05:00">`,
			time.Date(2019, 11, 19, 18, 3, 0, 0, time.UTC)},
		{"first trusted key wins", `<meta name="dc.date" content="2019-11-01T00:00:00Z"><meta property="article:published_time" content="2019-11-19T13:03:00Z">`,
			time.Date(2019, 11, 19, 13, 3, 0, 0, time.UTC)},
		{"bare date adds nothing", `<meta name="pubdate" content="2019-11-19">`, time.Time{}},
		{"no zone", `<meta name="sailthru.date" content="2019-11-19 07:15:00">`, time.Date(2019, 11, 19, 7, 15, 0, 0, time.UTC)},
		{"json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-11-19T09:30:00.000Z"}</script>`,
			time.Date(2019, 11, 19, 9, 30, 0, 0, time.UTC)},
		{"itemprop time", `</head><body><time itemprop="datePublished" datetime="2019-11-19T09:30:00+01:00">x</time>`,
			time.Date(2019, 11, 19, 8, 30, 0, 0, time.UTC)},
		{"garbage", `<meta property="article:published_time" content="yesterday">`, time.Time{}},
		{"future", `<meta property="article:published_time" content="2999-01-01T10:00:00Z">`, time.Time{}},
		{"nothing", ``, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := html.Parse(strings.NewReader("<html><head>" + tt.head + "</head><body><p>x</p></body></html>"))
			if got := metaTimestamp(doc); !got.Equal(tt.want) {
				t.Errorf("metaTimestamp = %v, want %v", got, tt.want)
			}
		})
	}
}
