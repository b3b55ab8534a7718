package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/browsertest"
	"github.com/dateline-news/dateline/internal/store/sqlite"
)

// pageCheck is what the browser test measures on every page.
type pageCheck struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Broken      []string `json:"broken"` // images in view that did not load
	Images      int      `json:"images"` // images in view that loaded
	Lead        bool     `json:"lead"`   // the front page's lead story is there
	Order       []int    `json:"order"`  // tops of the story page's parts
	TimeTitle   string   `json:"timeTitle"`
}

// checkJS waits for the images in the first screen to load, then measures.
const checkJS = `(async () => {
  const inView = [...document.images].filter(i => i.getBoundingClientRect().top < innerHeight);
  await Promise.all(inView.map(i => i.decode().catch(() => {})));
  const top = s => { const e = document.querySelector(s); return e ? Math.round(e.getBoundingClientRect().top + scrollY) : -1; };
  const t = document.querySelector("time[data-rel]");
  return {
    scrollWidth: document.scrollingElement.scrollWidth, innerWidth: innerWidth,
    broken: inView.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    images: inView.filter(i => i.complete && i.naturalWidth > 0).length,
    lead: !!document.querySelector(".lead-story .card h2 a"),
    order: ["h1", "img.lead", "section.coverage", "div.story-main"].map(top),
    timeTitle: t ? t.title : "",
  };
})()`

// TestBrowserPages loads the front page, a story, an article, an outlet page
// and the account pages in headless Chromium at phone and desktop widths:
// no console errors (CSP violations land there), no horizontal overflow,
// the images in view loaded from Dateline, the lead story present and the
// story page in reading order. Screenshots go to a temporary folder
// (DATELINE_SCREENSHOTS names a folder to keep them).
func TestBrowserPages(t *testing.T) {
	n := newNewsroom(t)
	sq := n.st.(*sqlite.Store)
	svc, err := account.New(sq.DB(), account.SQLite, account.Options{ReadDB: sq.ReadDB(),
		Hash: account.HashParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	hook := accountsHook{accountweb.New(svc, accountweb.Options{SiteName: "Sample Edition"}), svc}
	srv := httptest.NewServer(n.handler(Options{SiteName: "Sample Edition", Comments: hook}))
	defer srv.Close()
	shots := os.Getenv("DATELINE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	ctx := browsertest.Start(t, 120*time.Second)

	var mu sync.Mutex
	var problems []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			mu.Lock()
			problems = append(problems, m.String())
			mu.Unlock()
		}
	}()
	// The reader is in Auckland: app.js shows times in their zone.
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Pacific/Auckland"}); err != nil {
		t.Fatal(err)
	}

	pages := []struct{ name, path string }{
		{"front", "/"},
		{"front-fr", "/?country=FR"},
		{"front-all", "/?country=&lang="}, // clears the remembered edition
		{"story", "/story/" + strconv.FormatInt(n.bigID, 10)},
		{"article", "/article/1"},
		{"outlet", "/source/" + strconv.FormatInt(n.hostSrc, 10)},
		{"login", "/login"},
		{"signup", "/signup"},
	}
	for _, width := range []int64{390, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 844)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			name := fmt.Sprintf("%s-%d", p.name, width)
			res, err := chromedp.Run(ctx, chromedp.NavigateResponse(srv.URL+p.path))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Status != http.StatusOK {
				t.Errorf("%s: status %d", name, res.Status)
			}
			c, err := chromedp.Run(ctx, chromedp.Evaluate[pageCheck](checkJS, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if c.ScrollWidth > c.InnerWidth {
				t.Errorf("%s: page is %dpx wide in a %dpx window", name, c.ScrollWidth, c.InnerWidth)
			}
			if len(c.Broken) > 0 {
				t.Errorf("%s: images did not load: %v", name, c.Broken)
			}
			switch p.name {
			case "front":
				if !c.Lead || c.Images == 0 {
					t.Errorf("%s: lead story %v, %d images loaded", name, c.Lead, c.Images)
				}
				if c.TimeTitle == "" || strings.HasSuffix(c.TimeTitle, "UTC") {
					t.Errorf("%s: time not shown in the reader's zone: %q", name, c.TimeTitle)
				}
			case "story":
				if c.Images == 0 {
					t.Errorf("%s: no lead image", name)
				}
				if width == 390 && !ascending(c.Order) {
					t.Errorf("%s: on a phone the parts are not headline, image, coverage, summary: tops %v", name, c.Order)
				}
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("%s screenshot: %v", name, err)
			}
			if err := os.WriteFile(filepath.Join(shots, name+".png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("browser console:\n%s", strings.Join(problems, "\n"))
	}
	t.Logf("screenshots in %s", shots)
}

func ascending(xs []int) bool {
	for i := 1; i < len(xs); i++ {
		if xs[i] <= xs[i-1] || xs[i] < 0 {
			return false
		}
	}
	return len(xs) > 0 && xs[0] >= 0
}
