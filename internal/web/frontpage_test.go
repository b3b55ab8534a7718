package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// newsroom is a small world for the front page tests: outlets in three
// countries and two languages, a publisher serving their lead images, and
// stories of every size, written for these tests.
type newsroom struct {
	st        store.Store
	images    *media.Cache
	publisher *httptest.Server // serves the outlets' images
	now       time.Time
	bigID     int64 // the most covered story
	frID      int64 // a story covered in France
	futureArt int64 // an article dated in the year 9999
	hostSrc   int64 // a source named after its host
}

func pngOf(t testing.TB, w, h int, c color.RGBA) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{c.R, uint8(int(c.G) + x*40/w), uint8(int(c.B) + y*40/h), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newNewsroom(t testing.TB) *newsroom {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir()+"/front.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	imgs := map[string][]byte{
		"/img/harbour.png": pngOf(t, 1200, 675, color.RGBA{30, 90, 140, 255}),
		"/img/vote.png":    pngOf(t, 900, 600, color.RGBA{150, 60, 40, 255}),
		"/img/train.png":   pngOf(t, 800, 450, color.RGBA{60, 120, 60, 255}),
		"/img/pixel.png":   pngOf(t, 1, 1, color.RGBA{0, 0, 0, 255}),
	}
	pub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := imgs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(b)
	}))
	t.Cleanup(pub.Close)

	n := &newsroom{st: st, publisher: pub, now: time.Now().UTC().Truncate(time.Second)}
	src := func(name, country, lang string) model.Source {
		return must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: name, Country: country, Language: lang, HomeURL: "https://" + strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example/"}))
	}
	courier := src("The Sample Courier", "GB", "en")
	daily := src("Daily Sample", "US", "en")
	journal := src("Le Journal Exemple", "FR", "fr")
	herald := src("Northern Herald", "GB", "en")
	wire := src("Sample Wire", "US", "en")
	host := must[model.Source](t)(st.UpsertSource(ctx, model.Source{Name: "127.0.0.57", Country: "GB", Language: "en", HomeURL: "http://127.0.0.57/"}))
	n.hostSrc = host.ID

	var nextURL int
	insert := func(s model.Source, title string, ago time.Duration, image, text string) model.Article {
		t.Helper()
		nextURL++
		a := model.Article{SourceID: s.ID, URL: fmt.Sprintf("https://%s.example/a/%d", strings.ToLower(strings.ReplaceAll(s.Name, " ", "")), nextURL),
			Title: title, Published: n.now.Add(-ago), Fetched: n.now, Text: text, Language: s.Language}
		if image != "" {
			a.Image = pub.URL + image
		}
		if s.ID == host.ID {
			a.SiteName = "Coastal Gazette"
		}
		if _, err := st.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	story := func(id int64, headline string, score float64, arts ...model.Article) {
		t.Helper()
		for _, a := range arts {
			if _, err := st.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: id, Headline: headline, Reason: "shares the harbour"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SetStoryScore(ctx, id, score); err != nil {
			t.Fatal(err)
		}
	}
	long := "The harbour authority closed the northern quay on Monday after a crane collapsed during the morning shift, officials said, and ships were sent to other ports."
	// The widest story: five outlets, three countries, with an image.
	big := insert(courier, "Crane collapse closes the northern harbour - The Sample Courier", 2*time.Hour, "/img/harbour.png", long)
	story(1, big.Title, 5,
		big,
		insert(daily, "Harbour closed after crane collapse", 90*time.Minute, "", long),
		insert(journal, "Le port du nord fermé après la chute d'une grue", time.Hour, "", "Le port du nord a fermé lundi après la chute d'une grue, selon les autorités portuaires."),
		insert(herald, "Northern harbour shut as crane falls", 80*time.Minute, "/img/pixel.png", long),
		insert(wire, "Crane falls at northern harbour, port shut", 70*time.Minute, "", long))
	n.bigID = 1
	// A wrong clock: dated in the year 9999 and ranked first by the store.
	fut := model.Article{SourceID: daily.ID, URL: "https://dailysample.example/future", Title: "Council publishes its agenda for next week",
		Published: time.Date(9999, 12, 31, 12, 0, 0, 0, time.UTC), Fetched: n.now, Language: "en"}
	if _, err := st.InsertArticle(ctx, &fut); err != nil {
		t.Fatal(err)
	}
	n.futureArt = fut.ID
	story(2, fut.Title, 50, fut)
	// A story covered in France and Britain, with its image from France.
	story(3, "Élection municipale : le maire sortant réélu", 4,
		insert(journal, "Élection municipale : le maire sortant réélu", 3*time.Hour, "/img/vote.png", "Le maire sortant a été réélu dimanche avec une large majorité, selon les résultats officiels publiés lundi matin."),
		insert(courier, "Mayor re-elected in French municipal vote - The Sample Courier", 150*time.Minute, "", long))
	n.frID = 3
	// A doubled title from the host-named outlet whose pages name it.
	story(4, "", 3, insert(host, "Harbour News: 2 Boats SankHarbour News: 2 Boats Sank - Coastal Gazette", 4*time.Hour, "/img/train.png", long))
	// Smaller stories to fill the page.
	for i, title := range []string{"Library extends its opening hours - The Sample Courier", "Bridge repairs finish early", "Rail line reopens after storm", "School meals price frozen", "Museum adds a night opening", "Cycle lane plan approved"} {
		s := []model.Source{courier, daily, herald, wire, daily, herald}[i]
		a := insert(s, title, time.Duration(5+i)*time.Hour, "", long)
		story(int64(10+i), a.Title, 2-float64(i)/10, a)
	}

	opts := fetch.DefaultOptions()
	opts.AllowPrivate, opts.PerHostInterval = true, -1
	n.images = media.New(st.DB(), fetch.New(opts), media.Options{})
	for path := range imgs {
		n.images.Fetch(ctx, pub.URL+path) // the pixel is refused; the rest stored
	}
	return n
}

func (n *newsroom) handler(opts Options) http.Handler {
	opts.Images = n.images
	opts.CacheTTL = -1
	if opts.Now == nil {
		opts.Now = func() time.Time { return n.now }
	}
	return New(n.st, opts)
}

var imgSrc = regexp.MustCompile(`<img[^>]+src="([^"]+)"`)

func TestFrontPageNewsroom(t *testing.T) {
	n := newNewsroom(t)
	h := n.handler(Options{SiteName: "Sample Edition"})
	get := func(path string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d\n%.400s", path, rec.Code, rec.Body.String())
		}
		return rec
	}
	front := get("/").Body.String()
	section := func(body, start, end string) string {
		i := strings.Index(body, start)
		if i < 0 {
			t.Fatalf("page lacks %q", start)
		}
		j := strings.Index(body[i:], end)
		if j < 0 {
			return body[i:]
		}
		return body[i : i+j]
	}
	lead := section(front, `<section class="lead-story"`, `</section>`)
	for _, want := range []string{`href="/story/1"`, "Crane collapse closes the northern harbour</a>", `<img class="thumb" src="/img/`, "5 outlets · 3 countries", `class="snippet"`} {
		if !strings.Contains(lead, want) {
			t.Errorf("lead story lacks %q:\n%s", want, lead)
		}
	}
	checks := []struct {
		name    string
		want    bool
		content string
	}{
		{"site suffix learned from the outlet's titles", false, "- The Sample Courier"},
		{"doubled title said once", true, ">Harbour News: 2 Boats Sank</a>"},
		{"doubled title gone", false, "SankHarbour"},
		{"host-named outlet shows its og:site_name", true, `<span class="outlet">Coastal Gazette</span>`},
		{"host name hidden", false, "127.0.0.57"},
		{"future item shows its date", true, "31 Dec 9999 12:00"},
		{"future item never 'just now'", false, "just now"},
		{"publisher's image URLs never reach the reader", false, n.publisher.URL},
		{"edition chooser", true, `<option value="FR">FR (1)</option>`},
	}
	for _, c := range checks {
		if strings.Contains(front, c.content) != c.want {
			t.Errorf("%s: contains %q = %v", c.name, c.content, !c.want)
		}
	}
	if i, j := strings.Index(front, "Crane collapse"), strings.Index(front, "Council publishes its agenda"); j >= 0 && j < i {
		t.Error("a future-dated item is listed above today's lead story")
	}
	// Every image on the page is Dateline's and is a JPEG.
	srcs := imgSrc.FindAllStringSubmatch(front, -1)
	if len(srcs) < 3 {
		t.Fatalf("front page shows %d images, want 3 (the pixel refused)", len(srcs))
	}
	for _, m := range srcs {
		rec := get(strings.ReplaceAll(m[1], "&amp;", "&"))
		if ct := rec.Header().Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("%s: Content-Type %q", m[1], ct)
		}
		cfg, err := jpeg.DecodeConfig(rec.Body)
		if err != nil || cfg.Width > media.CardWidth {
			t.Errorf("%s: %dx%d, %v", m[1], cfg.Width, cfg.Height, err)
		}
	}

	// Editions: the French one keeps the stories French outlets covered, and
	// is remembered.
	rec := get("/?country=FR")
	fr := rec.Body.String()
	if !strings.Contains(fr, `href="/story/3"`) || !strings.Contains(fr, `href="/story/1"`) || strings.Contains(fr, "Bridge repairs") {
		t.Errorf("FR edition lists the wrong stories:\n%s", fr)
	}
	if !strings.Contains(fr, `<option value="FR" selected>`) {
		t.Error("FR edition not selected in the chooser")
	}
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == editionCookie {
			cookie = c
		}
	}
	if cookie == nil || !strings.Contains(cookie.Value, "country=FR") {
		t.Fatalf("edition not remembered: %v", rec.Result().Cookies())
	}
	if again := get("/", cookie).Body.String(); strings.Contains(again, "Bridge repairs") || !strings.Contains(again, `href="/story/3"`) {
		t.Error("the remembered edition is not applied")
	}
	if lang := get("/?lang=fr").Body.String(); !strings.Contains(lang, "Élection municipale") || strings.Contains(lang, "Bridge repairs") {
		t.Error("language edition wrong")
	}
	clear := get("/?country=&lang=", cookie)
	if cs := clear.Result().Cookies(); len(cs) != 1 || cs[0].MaxAge >= 0 {
		t.Errorf("choosing all editions does not clear the cookie: %v", cs)
	}
	if all := clear.Body.String(); !strings.Contains(all, "Bridge repairs") {
		t.Error("all editions do not list every story")
	}

	// The story page: headline, image, coverage, then the summary and the rest.
	story := get("/story/1").Body.String()
	order := []string{"<h1>Crane collapse closes the northern harbour</h1>", `<img class="lead" src="/img/`, `<section class="coverage">`, `<div class="story-main">`}
	last := -1
	for _, o := range order {
		i := strings.Index(story, o)
		if i <= last {
			t.Errorf("story page: %q at %d, after the previous part at %d", o, i, last)
		}
		last = i
	}
	for _, want := range []string{`<span class="cc">GB</span> 2`, `<span class="lang">fr</span> 1`} {
		if !strings.Contains(story, want) {
			t.Errorf("story page breakdown lacks %q", want)
		}
	}
	// The article and outlet pages show the cleaned headline and Dateline's image.
	for _, p := range []string{"/article/1", "/source/1"} {
		body := get(p).Body.String()
		if strings.Contains(body, "- The Sample Courier") || !strings.Contains(body, "Crane collapse closes the northern harbour") {
			t.Errorf("%s: headline not cleaned", p)
		}
		if strings.Contains(body, n.publisher.URL) {
			t.Errorf("%s links a publisher's image", p)
		}
	}
	if art := get("/article/1").Body.String(); !strings.Contains(art, `<img class="lead" src="/img/`) {
		t.Error("article page lacks its lead image")
	}
	// Blind spots: the widely covered story an outlet missed.
	missed := get(fmt.Sprintf("/source/%d", n.hostSrc)).Body.String()
	if !strings.Contains(missed, "<h1>Coastal Gazette</h1>") {
		t.Error("host-named outlet's page is not titled with its og:site_name")
	}
	if !strings.Contains(missed, "Blind spots") || !strings.Contains(section(missed, `<section class="blind-spots">`, `</section>`), `href="/story/1"`) {
		t.Error("outlet page lacks the widely covered story it missed")
	}
	if covered := get("/source/1").Body.String(); strings.Contains(covered, "Blind spots") {
		t.Error("an outlet that covered every wide story shows blind spots")
	}
	// Unknown and malformed image ids are 404s.
	for _, p := range []string{"/img/00000000000000000000000000000000", "/img/..%2Fetc"} {
		req := httptest.NewRequest("GET", p, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 404 {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
		io.Copy(io.Discard, rec.Body)
	}
}

// TestLocalImages: pictures in an article body are served from Dateline's
// copies or left out; nothing else in the body changes.
func TestLocalImages(t *testing.T) {
	n := newNewsroom(t)
	s := newServer(n.st, Options{Images: n.images, CacheTTL: -1})
	stored := n.publisher.URL + "/img/vote.png"
	tests := []struct {
		name, body, want string
	}{
		{"stored image rewritten", `<p>Before</p><figure><img src="` + stored + `" alt="Voters" srcset="x 2x"><figcaption>Polls &amp; results</figcaption></figure>`,
			`<p>Before</p><figure><img src="/img/` + media.ID(stored) + `?s=large" alt="Voters" loading="lazy"><figcaption>Polls &amp; results</figcaption></figure>`},
		{"unknown image dropped", `<p>A</p><img src="https://elsewhere.example/x.jpg"><p>B &lt;b&gt;</p>`, `<p>A</p><p>B &lt;b&gt;</p>`},
		{"picture sources dropped", `<picture><source srcset="https://elsewhere.example/y.webp"><img src="` + stored + `"></picture>`,
			`<picture><img src="/img/` + media.ID(stored) + `?s=large" alt="" loading="lazy"></picture>`},
		{"no images untouched", `<p>Plain &amp; simple</p>`, `<p>Plain &amp; simple</p>`},
	}
	for _, tt := range tests {
		if got := s.localImages(context.Background(), tt.body); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
