package feed

import (
	"bytes"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const nestedOPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Export</title></head>
  <body>
    <outline text="Canada" country="ca" language="EN">
      <outline text="CBC" type="rss" xmlUrl="https://www.cbc.ca/webfeed/rss/rss-topstories" htmlUrl="https://www.cbc.ca/news"/>
      <outline text="Québec">
        <outline title="Le Devoir" text="ignored" xmlurl="https://www.ledevoir.com/rss/manchettes.xml" language="fr"/>
      </outline>
    </outline>
    <outline text="Loose &amp; Co" xmlUrl="https://example.com/feed?a=1&amp;b=2"/>
    <outline xmlUrl="https://example.com/untitled.xml"/>
    <outline text="Duplicate CBC" xmlUrl="https://www.cbc.ca/webfeed/rss/rss-topstories"/>
    <outline text="A folder with no feeds"/>
  </body>
</opml>`

func TestParseOPMLNested(t *testing.T) {
	subs, err := ParseOPML(strings.NewReader(nestedOPML))
	if err != nil {
		t.Fatal(err)
	}
	want := []Subscription{
		{FeedURL: "https://www.cbc.ca/webfeed/rss/rss-topstories", Name: "CBC", HomeURL: "https://www.cbc.ca/news", Country: "CA", Language: "en"},
		{FeedURL: "https://www.ledevoir.com/rss/manchettes.xml", Name: "Le Devoir", Country: "CA", Language: "fr"},
		{FeedURL: "https://example.com/feed?a=1&b=2", Name: "Loose & Co"},
		{FeedURL: "https://example.com/untitled.xml", Name: "https://example.com/untitled.xml"},
	}
	if len(subs) != len(want) {
		t.Fatalf("got %d subscriptions: %+v", len(subs), subs)
	}
	for i := range want {
		if subs[i] != want[i] {
			t.Errorf("sub %d = %+v, want %+v", i, subs[i], want[i])
		}
	}
}

func TestParseOPMLErrors(t *testing.T) {
	for _, in := range []string{
		`<rss version="2.0"><channel/></rss>`,
		``,
		`<opml><body><outline text="x"`,
	} {
		if _, err := ParseOPML(strings.NewReader(in)); err == nil {
			t.Errorf("ParseOPML(%q): want error", in)
		}
	}
	_, err := ParseOPML(strings.NewReader(`<html><body/></html>`))
	if !errors.Is(err, ErrNotOPML) {
		t.Errorf("html: error = %v, want ErrNotOPML", err)
	}
	// A Latin-1 export with its encoding declared.
	latin := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml><body><outline text=\"Le Soir \xe9dition\" xmlUrl=\"https://x.be/rss\"/></body></opml>"
	subs, err := ParseOPML(strings.NewReader(latin))
	if err != nil || len(subs) != 1 || subs[0].Name != "Le Soir édition" {
		t.Errorf("latin-1 opml: %+v, %v", subs, err)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	in := []Subscription{
		{FeedURL: "https://a.example/rss?x=1&y=<2>", Name: `Quotes "and" <tags> & ampersands`, HomeURL: "https://a.example/", Country: "FR", Language: "fr"},
		{FeedURL: "https://b.example/atom.xml", Name: "日本語の名前", Country: "JP", Language: "ja"},
		{FeedURL: "https://c.example/feed", Name: "No extras"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(buf.String(), `<opml version="2.0">`) {
		t.Errorf("header missing:\n%s", buf.String())
	}
	out, err := ParseOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("round trip: %d subs, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("round trip %d = %+v, want %+v", i, out[i], in[i])
		}
	}
}

var (
	countryCode  = regexp.MustCompile(`^[A-Z]{2}$`)
	languageCode = regexp.MustCompile(`^[a-z]{2}$`)
)

func TestDefaults(t *testing.T) {
	subs, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	countries, languages, urls := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, s := range subs {
		if s.Name == "" || s.Name == s.FeedURL {
			t.Errorf("%s: no name", s.FeedURL)
		}
		for _, u := range []string{s.FeedURL, s.HomeURL} {
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
				t.Errorf("%s: %q is not an absolute http(s) URL", s.Name, u)
			}
		}
		if !countryCode.MatchString(s.Country) {
			t.Errorf("%s: country %q is not ISO 3166 alpha-2", s.Name, s.Country)
		}
		if !languageCode.MatchString(s.Language) {
			t.Errorf("%s: language %q is not ISO 639-1", s.Name, s.Language)
		}
		if urls[s.FeedURL] {
			t.Errorf("duplicate feed URL %s", s.FeedURL)
		}
		urls[s.FeedURL] = true
		countries[s.Country] = true
		languages[s.Language] = true
	}
	// ParseOPML drops duplicates, so count outlines in the raw file too.
	if n := bytes.Count(defaultOPML, []byte("xmlUrl=")); n != len(subs) {
		t.Errorf("default.opml has %d xmlUrl attributes but %d unique feeds", n, len(subs))
	}
	if len(subs) < 70 || len(countries) < 18 || len(languages) < 5 {
		t.Errorf("defaults: %d feeds, %d countries, %d languages; want at least 70, 18, 5", len(subs), len(countries), len(languages))
	}
	t.Logf("%d feeds, %d countries, %d languages", len(subs), len(countries), len(languages))
}

// TestParseOPMLCategories: an outline's first category, without slashes, as
// written in any case; a folder's category is inherited like its country.
func TestParseOPMLCategories(t *testing.T) {
	doc := `<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Folder" category="world, no feed">
  <outline text="A" xmlUrl="https://a.example/rss" category="/Science/Space,Tech"/>
  <outline text="B" xmlURL="https://b.example/rss" CATEGORY=" sport "/>
  <outline text="C" xmlUrl="https://c.example/rss"/>
</outline>
<outline text="D" xmlUrl="https://d.example/rss"/></body></opml>`
	subs, err := ParseOPML(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"https://a.example/rss": "Science/Space", "https://b.example/rss": "sport",
		"https://c.example/rss": "world", "https://d.example/rss": ""}
	if len(subs) != len(want) {
		t.Fatalf("%d subscriptions, want %d: %+v", len(subs), len(want), subs)
	}
	for _, s := range subs {
		if s.Category != want[s.FeedURL] {
			t.Errorf("%s: category %q, want %q", s.FeedURL, s.Category, want[s.FeedURL])
		}
	}
	var buf strings.Builder
	if err := WriteOPML(&buf, subs); err != nil {
		t.Fatal(err)
	}
	back, err := ParseOPML(strings.NewReader(buf.String()))
	if err != nil || len(back) != len(subs) {
		t.Fatalf("round trip: %v, %+v", err, back)
	}
	for i := range back {
		if back[i] != subs[i] {
			t.Errorf("round trip: %+v, want %+v", back[i], subs[i])
		}
	}
}
