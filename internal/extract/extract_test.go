package extract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Paragraphs long enough for the extractor to accept the page as an article.
var articleParas = []string{
	"The harbour council voted on Tuesday evening to rebuild the old swing bridge, which has been closed to traffic since the spring floods damaged two of its stone piers.",
	"Engineers told the council that repairs would cost less than a new crossing, but warned that work could not begin until the river level falls in late summer.",
	"Local shop owners, who say they have lost a third of their trade since the closure, welcomed the decision and asked for a temporary footbridge in the meantime.",
	"The mayor said the town would apply for a regional grant to cover half of the cost, with the rest to come from reserves set aside after the last floods.",
}

func articlePage(head, before, after string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head>` + head + `</head><body>`)
	b.WriteString(`<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>`)
	b.WriteString(`<main><article><h1>Council votes to rebuild harbour bridge</h1>` + before)
	for _, p := range articleParas {
		b.WriteString("<p>" + p + "</p>")
	}
	b.WriteString(after + `</article></main><footer><p>© 2025 Harbour Gazette</p></footer></body></html>`)
	return b.String()
}

func TestExtractMetadata(t *testing.T) {
	head := `<meta charset="utf-8"><title>Council votes to rebuild harbour bridge | Harbour Gazette</title>
<link rel="canonical" href="/news/2025/06/bridge-vote">
<meta property="og:title" content="Council votes to rebuild harbour bridge">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:image" content="/img/bridge.jpg">
<meta name="description" content="The old swing bridge will be rebuilt.">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-06-03T18:30:00Z">`
	res, err := Extract([]byte(articlePage(head, "", "")), "https://gazette.example/news/2025/06/bridge-vote?utm_source=rss")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ field, got, want string }{
		{"Title", res.Title, "Council votes to rebuild harbour bridge"},
		{"Author", res.Author, "Jane Doe"},
		{"SiteName", res.SiteName, "Harbour Gazette"},
		{"Description", res.Description, "The old swing bridge will be rebuilt."},
		{"Image", res.Image, "https://gazette.example/img/bridge.jpg"},
		{"Canonical", res.Canonical, "https://gazette.example/news/2025/06/bridge-vote"},
		{"Language", res.Language, "en"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if want := time.Date(2025, 6, 3, 18, 30, 0, 0, time.UTC); !res.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", res.Published, want)
	}
	if got, want := res.Text, strings.Join(articleParas, "\n"); got != want {
		t.Errorf("Text =\n%s\nwant\n%s", got, want)
	}
	if !strings.HasPrefix(res.HTML, "<p>") || strings.Count(res.HTML, "<p>") != len(articleParas) {
		t.Errorf("HTML = %q, want the %d paragraphs", res.HTML, len(articleParas))
	}
}

func TestExtractCharsets(t *testing.T) {
	latin1 := func(s string) string {
		b, err := charmap.ISO8859_1.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	french := "Le café du port était fermé à Noël, mais la crème brûlée est revenue au menu dès la réouverture de janvier. "
	body := "<article><p>" + strings.Repeat(french, 3) + "</p><p>" + strings.Repeat(french, 2) + "</p></article>"
	longHead := "<script>" + strings.Repeat("var x = 1;\n", 300) + "</script>"
	tests := []struct {
		name string
		page string
	}{
		{"meta charset latin1", latin1(`<html><head><meta charset="ISO-8859-1"></head><body>` + body + `</body></html>`)},
		{"http-equiv latin1", latin1(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>` + body + `</body></html>`)},
		{"meta after 1024 bytes", latin1(`<html><head>` + longHead + `<meta charset="windows-1252"></head><body>` + body + `</body></html>`)},
		{"undeclared latin1", latin1(`<html><body>` + body + `</body></html>`)},
		{"utf8 with BOM", "\xEF\xBB\xBF<html><body>" + body + "</body></html>"},
		{"utf8 mislabelled latin1", `<html><head><meta charset="iso-8859-1"></head><body>` + body + `</body></html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract([]byte(tt.page), "https://example.fr/a")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Text, "Le café du port était fermé à Noël, mais la crème brûlée") {
				t.Errorf("Text = %q, want correctly decoded French", res.Text)
			}
			if strings.ContainsRune(res.Text, '\uFFFD') || strings.Contains(res.Text, "Ã") {
				t.Errorf("Text has mojibake: %q", res.Text)
			}
			if res.Language != "fr" {
				t.Errorf("Language = %q, want fr", res.Language)
			}
		})
	}
}

// TestExtractTypedCharsets: a Windows-1251 page with no <meta charset> is
// read as Cyrillic whether the HTTP header names its charset, names a
// Latin-1 default, or names none; a header that names it wins over no
// declaration at all.
func TestExtractTypedCharsets(t *testing.T) {
	russian := "Правительство объявило о новых мерах поддержки малого бизнеса в регионах страны. Министр заявил, что программа начнёт работать в январе. "
	page, err := charmap.Windows1251.NewEncoder().String("<html><body><article><p>" + strings.Repeat(russian, 3) + "</p><p>" + strings.Repeat(russian, 2) + "</p></article></body></html>")
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"text/html; charset=windows-1251", "text/html; charset=ISO-8859-1", "text/html", ""} {
		res, err := ExtractTyped([]byte(page), "https://example.ru/a", ct)
		if err != nil {
			t.Fatalf("%q: %v", ct, err)
		}
		if !strings.Contains(res.Text, "Министр заявил, что программа начнёт работать") {
			t.Errorf("%q: Text = %.80q, want Cyrillic", ct, res.Text)
		}
	}
}

// The boilerplate below is what leaked into article text on an aggregator
// site (see /work/shared/seeds): widget headings, promos and related links.
func TestExtractRemovesBoilerplate(t *testing.T) {
	before := `<p>Sign up for our daily newsletter to get the top stories in your inbox.</p>`
	after := `<p>Like this story? Share it with a friend!</p>
<h3>Hashtags</h3>
<h3>Try Our AI Features</h3><p>Explore what Daily8 AI can do for you:</p>
<h3>Comments</h3><p>No comments yet...</p>
<h3>Related Articles</h3>
<p>Trump tells NATO to donate weapons to Kyiv, and buy them from US officials in Washington.</p>
<p>China's cultural offensive: how Beijing is quietly reshaping North Korea's media and schools.</p>
<p>DOWNLOAD THE APP</p><p>Get Started Now: Download the App</p>`
	res, err := Extract([]byte(articlePage("<title>Council votes to rebuild harbour bridge</title>", before, after)), "https://gazette.example/a")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Text, strings.Join(articleParas, "\n"); got != want {
		t.Errorf("Text =\n%s\nwant only the article:\n%s", got, want)
	}
}

func TestExtractSanitizesHTML(t *testing.T) {
	after := `<p onclick="steal()">A final paragraph with an <a href="javascript:alert(1)">evil link</a> and <b style="color:red">bold</b> words in it, long enough to keep.</p><script>alert(1)</script><iframe src="https://evil.example/"></iframe>`
	res, err := Extract([]byte(articlePage("", "", after)), "https://gazette.example/a")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"onclick", "javascript", "<script", "alert", "iframe", "style="} {
		if strings.Contains(res.HTML, bad) {
			t.Errorf("HTML contains %q: %s", bad, res.HTML)
		}
	}
	if !strings.Contains(res.Text, "A final paragraph with an evil link and bold words") {
		t.Errorf("Text lost the last paragraph: %q", res.Text)
	}
}

func TestExtractHostileInput(t *testing.T) {
	tests := []struct {
		name string
		page []byte
	}{
		{"empty", nil},
		{"binary", []byte("\x00\xff\xfe\x01<\x00h\x00t\x00m\x00l\x00")},
		{"no body", []byte("<html><head><title>x</title></head></html>")},
		{"unclosed", []byte(`<html><body><div><p>text <a href="x`)},
		{"deep nesting", []byte(strings.Repeat("<div>", 20000) + "<p>" + articleParas[0] + "</p>")},
		{"wide", []byte("<body>" + strings.Repeat("<span>a</span>", 100000))},
		{"too big", []byte("<html><body><article>" + strings.Repeat("<p>"+articleParas[1]+"</p>", MaxPageSize/len(articleParas[1])+10))},
		{"broken script", []byte("<html><head><script>" + strings.Repeat("x", 100000))},
		{"bad meta charset", []byte(`<meta charset="utf-16"><meta charset="x-nonsense"><p>` + articleParas[2] + `</p>`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(tt.page, "::not a url")
			if err == nil && res.Text == "" {
				t.Error("no error but empty Text")
			}
		})
	}
}

func TestExtractNoContent(t *testing.T) {
	_, err := Extract([]byte("<html><body><nav><a href='/'>Home</a></nav></body></html>"), "https://e.example/")
	if err == nil {
		t.Fatal("want an error for a page without text")
	}
	if !errors.Is(err, ErrNoContent) && !strings.Contains(err.Error(), "extract") {
		t.Errorf("error %q does not say what failed", err)
	}
}

// The fetcher runs extraction from a worker pool.
func TestExtractConcurrent(t *testing.T) {
	page := []byte(articlePage(`<meta property="og:image" content="/i.jpg">`, "", ""))
	want, err := Extract(page, "https://gazette.example/a")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			got, err := Extract(page, "https://gazette.example/a")
			if err == nil && (got.Text != want.Text || got.HTML != want.HTML || got.Image != want.Image) {
				err = errors.New("concurrent result differs")
			}
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestExtractLeadImageWithoutMetadata(t *testing.T) {
	before := `<img src="/icons/share.png" width="16" height="16"><figure><img src="data:image/gif;base64,R0lGOD" data-src="/photos/bridge.jpg" width="800"></figure>`
	res, err := Extract([]byte(articlePage("<title>Bridge</title>", before, "")), "https://gazette.example/news/a")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://gazette.example/photos/bridge.jpg"; res.Image != want {
		t.Errorf("Image = %q, want %q", res.Image, want)
	}
}

func TestExtractHugeUTF8PageStaysUTF8(t *testing.T) {
	para := "<p>Der Bürgermeister sagte, die Brücke über den Fluss werde im nächsten Frühjahr für den Verkehr geöffnet, früher als geplant.</p>"
	var b strings.Builder
	b.WriteString("<html><body><article>")
	for b.Len() < MaxPageSize+1000 {
		b.WriteString(para)
	}
	// Shift the page so the byte at MaxPageSize-1 starts a two-byte "ü":
	// a plain cut would split it.
	page := []byte(b.String())
	j := bytes.LastIndexByte(page[:MaxPageSize], 0xC3)
	page = append([]byte(strings.Repeat(" ", MaxPageSize-1-j)), page...)
	if page[MaxPageSize-1] != 0xC3 {
		t.Fatal("test setup: cut does not split a character")
	}
	res, err := Extract(page, "https://e.example/a")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "Bürgermeister") || strings.Contains(res.Text, "Ã") {
		t.Errorf("huge page decoded wrongly: %.200q", res.Text)
	}
}

// TestLeadImageAndSiteName: the page's own metadata names the outlet and
// the lead image, relative URLs resolved against the page.
func TestLeadImageAndSiteName(t *testing.T) {
	body := `<p>The harbour authority closed the northern quay on Monday after a crane collapsed during the morning shift, officials said.</p>
<p>Ships were sent to other ports while engineers inspected the damage, and the quay is expected to reopen within a week.</p>`
	tests := []struct {
		name, meta, wantImage, wantSite string
	}{
		{"og tags", `<meta property="og:site_name" content="The Sample Courier"><meta property="og:image" content="/media/lead.jpg">`,
			"https://courier.example/media/lead.jpg", "The Sample Courier"},
		{"twitter image", `<meta name="twitter:image" content="https://cdn.courier.example/t.jpg">`, "https://cdn.courier.example/t.jpg", "courier.example"},
		// without og:site_name the site name is the host (outlet.Name reads it as one)
		{"image in the article", ``, "https://courier.example/news/inline.jpg", "courier.example"},
	}
	for _, tt := range tests {
		page := `<!doctype html><html lang="en"><head><title>Crane collapse</title>` + tt.meta + `</head><body><article><h1>Crane collapse</h1>` +
			`<img src="inline.jpg" width="800" height="450" alt="">` + body + `</article></body></html>`
		res, err := Extract([]byte(page), "https://courier.example/news/crane")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if res.Image != tt.wantImage || res.SiteName != tt.wantSite {
			t.Errorf("%s: image %q site %q, want %q %q", tt.name, res.Image, res.SiteName, tt.wantImage, tt.wantSite)
		}
	}
}
