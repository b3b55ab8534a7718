package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtureArticle is one article on the fixture publisher's site.
type fixtureArticle struct {
	slug, title string
	paras       []string
}

// Text for the fixtures is taken from the seed pages (the same event told by
// two outlets) and written for the tests.
var fixtureArticles = []fixtureArticle{
	{"us-selling-weapons", "US is selling weapons to NATO allies to give to Ukraine, Trump says", []string{
		"WASHINGTON (AP) — The United States is selling weapons to its NATO allies in Europe so they can provide them to Ukraine as it struggles to fend off a recent escalation in Russia's drone and missile attacks, President Donald Trump and his chief diplomat said.",
		"'We're sending weapons to NATO, and NATO is paying for those weapons, 100%,' Trump said in an interview with NBC News late Thursday.",
		"Secretary of State Marco Rubio said Friday that some of the U.S.-made weapons that Ukraine is seeking are deployed with NATO allies in Europe. Those weapons could be transferred to Ukraine, with European countries buying replacements from the U.S., he said.",
		"Ukraine badly needs more U.S.-made Patriot air defense systems to stop Russian ballistic and cruise missiles.",
	}},
	{"trump-tells-nato", "Trump tells NATO to donate weapons to Kyiv, and buy them from US", []string{
		"Though Trump announced that some Patriot systems could arrive in Ukraine within days, insiders say the plan is more of a concept than a fully developed strategy.",
		"According to officials familiar with the initiative, Trump and NATO Secretary General Mark Rutte devised the plan recently. Kyiv welcomed the proposal.",
		"Former U.S. ambassador to NATO Kurt Volker said Trump's plan strikes a political balance. \"He's shifting the burden to Europe, just like he promised his base,\" Volker said.",
		"Ultimately, Volker estimates Ukraine could receive 12–13 Patriot batteries, though deliveries could take up to a year.",
	}},
	{"kharkiv-drones", "Russian drone barrage hits Kharkiv maternity hospital", []string{
		"A Russian drone barrage targeted the center of Kharkiv just before dawn Friday, injuring nine people and damaging a maternity hospital in Ukraine's second-largest city, officials said.",
		"'There is no silence in Ukraine,' Zelenskyy said. A daytime drone attack on the southern city of Odesa also injured nine.",
		"Kyiv, the Ukrainian capital, has endured repeated and intensifying drone attacks in recent weeks, as have many other regions of the country, mostly at night.",
	}},
}

// Widgets that leak into news-app pages; none may reach an article's text.
const pageChrome = `<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/app">Download the app</a></nav>
<aside class="newsletter"><h3>Sign up for our newsletter</h3><p>Get the morning briefing in your inbox every day.</p></aside>`

const pageFooter = `<section class="ai"><h2>Try Our AI Features</h2><p>Explore what Daily8 AI can do for you:</p></section>
<section class="comments"><h2>Comments</h2><p>No comments yet...</p></section>
<footer><p>© Fixture Daily. All rights reserved. Download the app.</p></footer>`

// fixtureSite serves feeds and article pages; it counts requests per path.
type fixtureSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newFixtureSite(t *testing.T) *fixtureSite {
	t.Helper()
	fs := &fixtureSite{hits: map[string]int{}}
	mux := http.NewServeMux()
	pub := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	mux.HandleFunc("GET /feeds/world.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"w1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"w1"`)
		var items strings.Builder
		for i, a := range fixtureArticles {
			fmt.Fprintf(&items, `<item><title>%s</title><link>%s/news/%s.html?utm_source=rss&amp;utm_medium=feed</link><guid>fx-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
				a.title, fs.URL, a.slug, i, pub.Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z), a.paras[0])
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture Daily — World</title><link>%s/</link>%s</channel></rss>`, fs.URL, items.String())
	})
	// The same first article again in another feed, under another GUID and a fragment.
	mux.HandleFunc("GET /feeds/top.atom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		a := fixtureArticles[0]
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Fixture Daily — Top</title><id>urn:fx:top</id><updated>2026-11-20T12:00:00Z</updated>
<entry><title>%s</title><id>urn:fx:top:1</id><link href="%s/news/%s.html#comments"/><updated>2026-11-20T09:00:00Z</updated><summary>%s</summary></entry></feed>`, a.title, fs.URL, a.slug, a.paras[0])
	})
	mux.HandleFunc("GET /feeds/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>oops</`)
	})
	mux.HandleFunc("GET /news/{slug}", func(w http.ResponseWriter, r *http.Request) {
		slug := strings.TrimSuffix(r.PathValue("slug"), ".html")
		for _, a := range fixtureArticles {
			if a.slug != slug {
				continue
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			var body strings.Builder
			for _, p := range a.paras {
				fmt.Fprintf(&body, "<p>%s</p>\n", p)
			}
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%[1]s | Fixture Daily</title>
<link rel="canonical" href="%[2]s/news/%[3]s.html"><meta property="og:site_name" content="Fixture Daily">
<meta property="article:published_time" content="2026-11-20T09:00:00Z"><meta name="author" content="Jane Reporter"></head>
<body>%[4]s<main><article><h1>%[1]s</h1><p class="byline">By Jane Reporter</p>%[5]s</article></main>%[6]s</body></html>`,
				a.title, fs.URL, a.slug, pageChrome, body.String(), pageFooter)
			return
		}
		http.NotFound(w, r)
	})
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits[r.URL.Path]++
		fs.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fixtureSite) count(path string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits[path]
}
