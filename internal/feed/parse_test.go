package feed

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const feedURL = "https://example.com/feeds/news.xml"

const rss2Fixture = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Example  News &amp; Views</title>
  <link>https://example.com/</link>
  <language>en-GB</language>
  <ttl>30</ttl>
  <skipHours><hour>0</hour><hour>1</hour><hour>24</hour><hour>25</hour><hour>x</hour></skipHours>
  <item>
    <title><![CDATA[<b>Storm</b> hits   coast]]></title>
    <link>/news/storm</link>
    <guid isPermaLink="false">story-1</guid>
    <pubDate>Tue, 10 Jun 2025 14:30:00 +0200</pubDate>
    <dc:creator>Jane Roe</dc:creator>
    <description>&lt;p&gt;Summary&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full text</p>]]></content:encoded>
    <media:content url="/img/storm.jpg" medium="image" width="800"/>
  </item>
  <item>
    <title>No guid here</title>
    <link>https://example.com/news/no-guid</link>
    <enclosure url="https://cdn.example.com/a.png" type="image/png" length="1"/>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>https://example.com/news/permalink</guid>
  </item>
  <item>
    <title>Neither link nor guid</title>
    <description>Text only</description>
  </item>
  <item></item>
</channel>
</rss>`

func TestParseRSS2(t *testing.T) {
	p, err := Parse([]byte(rss2Fixture), "application/rss+xml", feedURL)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Example News & Views" || p.HomeURL != "https://example.com/" || p.Language != "en-gb" || p.Format != "rss" {
		t.Errorf("feed = %q %q %q %q", p.Title, p.HomeURL, p.Language, p.Format)
	}
	if p.TTL != 30*time.Minute {
		t.Errorf("TTL = %s, want 30m", p.TTL)
	}
	if got := p.SkipHours; len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Errorf("SkipHours = %v, want [0 1]", got)
	}
	if len(p.Items) != 4 {
		t.Fatalf("got %d items, want 4 (the empty item dropped)", len(p.Items))
	}
	a := p.Items[0]
	want := Item{
		GUID:        "story-1",
		URL:         "https://example.com/news/storm",
		Title:       "Storm hits coast",
		Author:      "Jane Roe",
		Summary:     "<p>Summary</p>",
		ContentHTML: "<p>Full text</p>",
		Image:       "https://example.com/img/storm.jpg",
		Published:   time.Date(2025, 6, 10, 12, 30, 0, 0, time.UTC),
	}
	if a != want {
		t.Errorf("item 0 =\n %+v\nwant\n %+v", a, want)
	}
	if a.Published.Location() != time.UTC {
		t.Errorf("Published not in UTC: %v", a.Published.Location())
	}
	if b := p.Items[1]; b.GUID != "https://example.com/news/no-guid" || b.Image != "https://cdn.example.com/a.png" || !b.Published.IsZero() {
		t.Errorf("item 1 = %+v", b)
	}
	if c := p.Items[2]; c.URL != "https://example.com/news/permalink" || c.GUID != c.URL {
		t.Errorf("item 2 = %+v", c)
	}
	d := p.Items[3]
	if d.URL != "" || !strings.HasPrefix(d.GUID, "sha1:") || len(d.GUID) != 45 {
		t.Errorf("item 3 = %+v, want a sha1 GUID", d)
	}
	// The fallback GUID is stable across parses.
	p2, _ := Parse([]byte(rss2Fixture), "", feedURL)
	if p2.Items[3].GUID != d.GUID {
		t.Error("hash GUID differs between parses")
	}
}

const atomFixture = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="de">
  <title type="text">Beispiel Nachrichten</title>
  <link rel="self" href="https://example.org/atom.xml"/>
  <link rel="alternate" href="https://example.org/"/>
  <id>urn:example:feed</id>
  <updated>2025-06-10T12:00:00Z</updated>
  <entry>
    <title type="html">Wahl &amp;amp; Folgen</title>
    <link rel="alternate" href="artikel/1"/>
    <id>urn:example:1</id>
    <published>2025-06-10T08:00:00+02:00</published>
    <updated>2025-06-10T09:00:00+02:00</updated>
    <author><name>Max Muster</name></author>
    <summary>Kurz</summary>
    <content type="html">&lt;p&gt;Lang&lt;/p&gt;</content>
    <media:thumbnail url="https://img.example.org/1.jpg"/>
  </entry>
  <entry>
    <title>Only updated</title>
    <link href="https://example.org/artikel/2"/>
    <id>urn:example:2</id>
    <updated>2025-06-11T10:00:00Z</updated>
  </entry>
</feed>`

func TestParseAtom(t *testing.T) {
	p, err := Parse([]byte(atomFixture), "application/atom+xml", "https://example.org/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Beispiel Nachrichten" || p.HomeURL != "https://example.org/" || p.Format != "atom" {
		t.Errorf("feed = %+v", p)
	}
	if len(p.Items) != 2 {
		t.Fatalf("got %d items", len(p.Items))
	}
	a := p.Items[0]
	if a.GUID != "urn:example:1" || a.URL != "https://example.org/artikel/1" || a.Title != "Wahl & Folgen" ||
		a.Author != "Max Muster" || a.Summary != "Kurz" || a.ContentHTML != "<p>Lang</p>" ||
		a.Image != "https://img.example.org/1.jpg" || !a.Published.Equal(time.Date(2025, 6, 10, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("entry 0 = %+v", a)
	}
	if b := p.Items[1]; !b.Published.Equal(time.Date(2025, 6, 11, 10, 0, 0, 0, time.UTC)) || b.URL != "https://example.org/artikel/2" {
		t.Errorf("entry 1 = %+v (Published should fall back to updated)", b)
	}
}

const jsonFixture = `{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON News",
  "home_page_url": "https://json.example.net/",
  "language": "fr",
  "items": [
    {"id": "42", "url": "https://json.example.net/a", "title": "Un titre",
     "content_html": "<p>Bonjour</p>", "summary": "Résumé", "image": "/i.jpg",
     "date_published": "2025-06-10T10:00:00Z", "authors": [{"name": "Léa"}]},
    {"id": "43", "content_text": "plain", "date_modified": "2025-06-11T10:00:00Z"}
  ]
}`

func TestParseJSONFeed(t *testing.T) {
	p, err := Parse([]byte(jsonFixture), "application/feed+json", "https://json.example.net/feed.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "JSON News" || p.HomeURL != "https://json.example.net/" || p.Language != "fr" || p.Format != "json" {
		t.Errorf("feed = %+v", p)
	}
	if len(p.Items) != 2 {
		t.Fatalf("got %d items", len(p.Items))
	}
	a := p.Items[0]
	if a.GUID != "42" || a.URL != "https://json.example.net/a" || a.Title != "Un titre" || a.Author != "Léa" ||
		a.ContentHTML != "<p>Bonjour</p>" || a.Summary != "Résumé" || a.Image != "https://json.example.net/i.jpg" ||
		!a.Published.Equal(time.Date(2025, 6, 10, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("item 0 = %+v", a)
	}
	if b := p.Items[1]; b.GUID != "43" || !b.Published.Equal(time.Date(2025, 6, 11, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("item 1 = %+v", b)
	}
}

const rdfFixture = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
  <channel rdf:about="https://rdf.example.jp/">
    <title>RDF ニュース</title>
    <link>https://rdf.example.jp/</link>
    <description>d</description>
    <dc:language>ja</dc:language>
    <sy:updatePeriod>hourly</sy:updatePeriod>
    <sy:updateFrequency>2</sy:updateFrequency>
  </channel>
  <item rdf:about="https://rdf.example.jp/a">
    <title>見出し</title>
    <link>https://rdf.example.jp/a</link>
    <dc:date>2025-06-10T09:00:00+09:00</dc:date>
    <dc:creator>記者</dc:creator>
  </item>
</rdf:RDF>`

func TestParseRDF(t *testing.T) {
	p, err := Parse([]byte(rdfFixture), "application/rdf+xml", "https://rdf.example.jp/rss.rdf")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "RDF ニュース" || p.Language != "ja" || p.Format != "rss" {
		t.Errorf("feed = %+v", p)
	}
	if p.TTL != 30*time.Minute {
		t.Errorf("TTL from sy:updatePeriod hourly / 2 = %s, want 30m", p.TTL)
	}
	if len(p.Items) != 1 {
		t.Fatalf("got %d items", len(p.Items))
	}
	a := p.Items[0]
	if a.Title != "見出し" || a.URL != "https://rdf.example.jp/a" || a.GUID != a.URL || a.Author != "記者" ||
		!a.Published.Equal(time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("item = %+v", a)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want error
	}{
		{"nil", "", ErrEmpty},
		{"whitespace", " \n\t ", ErrEmpty},
		{"bom only", "\xEF\xBB\xBF\n", ErrEmpty},
		{"html page", "<!DOCTYPE html>\n<html lang=en><head><title>Home</title></head><body>Hi</body></html>", ErrNotFeed},
		{"html without doctype", "  <html><body><p>moved</p></body></html>", ErrNotFeed},
		{"xhtml with xml declaration", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head/><body/></html>", ErrNotFeed},
		{"truncated rss", `<rss version="2.0"><channel><title>x</title><item><title>a</ite`, ErrMalformed},
		{"broken markup in rss", `<?xml version="1.0"?><rss version="2.0"><channel><item><title>a<<</title></item></channel></rss>`, ErrMalformed},
		{"broken json", `{"version": "https://jsonfeed.org/version/1", "items": [`, ErrMalformed},
		{"unknown xml root", `<?xml version="1.0"?><sitemap><url/></sitemap>`, ErrUnknownFormat},
		{"plain text", "Service unavailable, try later", ErrUnknownFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.body), "", feedURL)
			if !errors.Is(err, tt.want) || p != nil {
				t.Fatalf("Parse = %v, %v; want error %v", p, err, tt.want)
			}
			if !strings.Contains(err.Error(), feedURL) {
				t.Errorf("error %q does not name the feed", err)
			}
		})
	}
	_, err := Parse([]byte("<html><body/></html>"), "text/html", feedURL)
	if err == nil || !strings.Contains(err.Error(), "not a feed: got an HTML page") {
		t.Errorf("HTML error message = %v", err)
	}
}

// rssWith wraps a title in a minimal RSS document with the given prolog.
func rssWith(prolog string, title []byte) []byte {
	b := []byte(prolog + `<rss version="2.0"><channel><title>`)
	b = append(b, title...)
	return append(b, `</title><item><title>t</title><link>https://e.com/a</link></item></channel></rss>`...)
}

func TestParseEncodings(t *testing.T) {
	latin1 := []byte("Caf\xe9 cr\xe8me \xabbr\xfbl\xe9e\xbb")
	utf8Text := []byte("Café crème «brûlée»")
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"latin-1 declared", rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, latin1), "", "Café crème «brûlée»"},
		{"latin-1 undeclared", rssWith("", latin1), "", "Café crème «brûlée»"},
		{"latin-1 declared as utf-8", rssWith(`<?xml version="1.0" encoding="utf-8"?>`, latin1), "", "Café crème «brûlée»"},
		{"latin-1 declared by http header", rssWith("", latin1), "text/xml; charset=ISO-8859-1", "Café crème «brûlée»"},
		{"utf-8 declared as latin-1", rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, utf8Text), "", "Café crème «brûlée»"},
		{"utf-8 with header saying latin-1", rssWith("", utf8Text), "application/rss+xml; charset=iso-8859-1", "Café crème «brûlée»"},
		{"windows-1252 smart quotes", rssWith("", []byte("\x93quoted\x94 \x96 dash")), "", "“quoted” – dash"},
		{"windows-1251 declared", rssWith(`<?xml version="1.0" encoding="windows-1251"?>`, []byte("\xcd\xee\xe2\xee\xf1\xf2\xe8")), "", "Новости"},
		{"mixed utf-8 and latin-1", rssWith("", []byte("Caf\xc3\xa9 and caf\xe9")), "", "Café and café"},
		{"utf-8 with bom", append([]byte("\xEF\xBB\xBF"), rssWith(`<?xml version="1.0" encoding="UTF-8"?>`, utf8Text)...), "", "Café crème «brûlée»"},
		{"utf-16le with bom", utf16LE(string(rssWith(`<?xml version="1.0" encoding="UTF-16"?>`, utf8Text))), "", "Café crème «brûlée»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.body, tt.contentType, feedURL)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tt.want {
				t.Errorf("Title = %q, want %q", p.Title, tt.want)
			}
			if !utf8.ValidString(p.Title) || len(p.Items) != 1 {
				t.Errorf("invalid UTF-8 or items lost: %+v", p)
			}
		})
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			panic("test helper handles the BMP only")
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// Every prefix of every fixture must come back as a result or an error,
// never a panic or a hang.
func TestParseTruncatedNeverPanics(t *testing.T) {
	for _, f := range []string{rss2Fixture, atomFixture, jsonFixture, rdfFixture} {
		for i := 0; i <= len(f); i += 7 {
			p, err := Parse([]byte(f[:i]), "", feedURL)
			if p == nil && err == nil {
				t.Fatalf("prefix %d: nil result and nil error", i)
			}
		}
	}
}

// Randomly damaged fixtures (fixed seed, so failures reproduce) must also
// come back as a result or an error.
func TestParseMutatedNeverPanics(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seeds := []string{rss2Fixture, atomFixture, jsonFixture, rdfFixture}
	for i := 0; i < 3000; i++ {
		b := []byte(seeds[r.IntN(len(seeds))])
		for k := r.IntN(4) + 1; k > 0 && len(b) > 0; k-- {
			p := r.IntN(len(b))
			switch r.IntN(3) {
			case 0: // overwrite a byte
				b[p] = byte(r.IntN(256))
			case 1: // cut a span
				b = append(b[:p:p], b[p+r.IntN(len(b)-p):]...)
			case 2: // insert a byte
				b = append(b[:p:p], append([]byte{byte(r.IntN(256))}, b[p:]...)...)
			}
		}
		if p, err := Parse(b, "", feedURL); p == nil && err == nil {
			t.Fatalf("mutation %d: nil result and nil error for %q", i, b)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{rss2Fixture, atomFixture, jsonFixture, rdfFixture, "<html></html>", ""} {
		f.Add([]byte(s), "")
	}
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		p, err := Parse(body, ct, feedURL)
		if (p == nil) == (err == nil) {
			t.Fatalf("want exactly one of result and error, got %v, %v", p, err)
		}
	})
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  plain   text \n", "plain text"},
		{"AT&amp;T &#8217;s", "AT&T ’s"},
		{"<b>bold</b> and <i>it</i>", "bold and it"},
		{"x < y and y > z", "x < y and y > z"},
		{"Tom &amp; Jerry <br/>show", "Tom & Jerry show"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestItemImageSources: every place a feed puts an item's picture, relative
// URLs resolved against the feed.
func TestItemImageSources(t *testing.T) {
	const head = `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Sample Post</title><link>https://post.example/</link>`
	tests := []struct {
		name, item, want string
	}{
		{"media:content", `<media:content url="https://cdn.post.example/a.jpg" medium="image"/>`, "https://cdn.post.example/a.jpg"},
		{"media:thumbnail", `<media:thumbnail url="/thumbs/b.jpg"/>`, "https://post.example/thumbs/b.jpg"},
		{"enclosure", `<enclosure url="https://cdn.post.example/c.png" type="image/png" length="1"/>`, "https://cdn.post.example/c.png"},
		{"image in content", `<content:encoded><![CDATA[<p><img src="https://post.example/pixel.gif" width="1" height="1"><img src="/img/d.webp" alt=""></p>]]></content:encoded>`, "https://post.example/img/d.webp"},
		{"image in description", `<description>&lt;img src="e.jpg"&gt; text</description>`, "https://post.example/feeds/e.jpg"},
		{"inline data skipped", `<description>&lt;img src="data:image/png;base64,AAAA"&gt;</description>`, ""},
		{"none", `<description>just text</description>`, ""},
	}
	for _, tt := range tests {
		body := head + `<item><title>One</title><link>https://post.example/1</link>` + tt.item + `</item></channel></rss>`
		p, err := Parse([]byte(body), "", "https://post.example/feeds/rss.xml")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if p.Title != "Sample Post" || len(p.Items) != 1 {
			t.Fatalf("%s: title %q, %d items", tt.name, p.Title, len(p.Items))
		}
		if got := p.Items[0].Image; got != tt.want {
			t.Errorf("%s: image %q, want %q", tt.name, got, tt.want)
		}
	}
}
