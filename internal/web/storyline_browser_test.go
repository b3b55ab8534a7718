package web

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dateline-news/dateline/internal/browsertest"
)

// findChromium returns the chromium binary, skipping the test when it is
// absent (failing instead under CI=true).
// TestBrowserStorylineTimeline loads a storyline page in headless Chromium
// at a phone's and a desktop's width: the timeline lists the events newest
// first, nothing overflows sideways, and the console stays empty (no CSP
// violation, no error). Screenshots go to t.TempDir(), or to
// $DATELINE_TEST_SCREENSHOTS when set, for a person to look at.
func TestBrowserStorylineTimeline(t *testing.T) {
	st := openSQLite(t)
	storylineFixture(t, st)
	srv := storylineServer(t, st)
	shots := t.TempDir()
	if dir := os.Getenv("DATELINE_TEST_SCREENSHOTS"); dir != "" {
		shots = dir
	}

	ctx := browsertest.Start(t, 90*time.Second)
	messages := chromedp.Console(ctx) // subscribed now, read at the end

	for _, width := range []int64{390, 1280} {
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(srv.URL+"/storyline/50"),
			chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)),
		)
		if err != nil {
			t.Fatalf("%dpx: load storyline page: %v", width, err)
		}
		heads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("ol.timeline li.event h2 a")).map(a => a.textContent.trim())`))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{repairHead, closedHead}; !slices.Equal(heads, want) {
			t.Errorf("%dpx: timeline %q, want %q", width, heads, want)
		}
		days, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("ol.timeline li.event time.day")).map(e => e.textContent.trim())`))
		if err != nil || !slices.Equal(days, []string{"5 Mar 2026", "2 Mar 2026"}) {
			t.Errorf("%dpx: dates %q (%v)", width, days, err)
		}
		// Horizontal overflow: the document must not be wider than the
		// viewport, nor any timeline entry wider than its list.
		over, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) return "page " + doc.scrollWidth + " > " + doc.clientWidth;
  const list = document.querySelector("ol.timeline").getBoundingClientRect();
  for (const e of document.querySelectorAll("ol.timeline li.event")) {
    if (e.getBoundingClientRect().right > list.right + 0.5) return "entry past the timeline: " + e.textContent.trim().slice(0, 40);
  }
  return "";
})()`))
		if err != nil || over != "" {
			t.Errorf("%dpx: horizontal overflow: %s (%v)", width, over, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(shots, fmt.Sprintf("storyline-%dpx.png", width))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", name)
	}

	// The console keeps message order: everything before this marker is
	// what the pages wrote.
	const marker = "storyline-test-end"
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`console.log("`+marker+`")`)); err != nil {
		t.Fatal(err)
	}
	var problems []string
	for m, err := range messages {
		if err != nil {
			t.Fatalf("console: %v", err)
		}
		if strings.Contains(m.String(), marker) {
			break
		}
		problems = append(problems, m.String())
	}
	if len(problems) > 0 {
		t.Errorf("browser console:\n%s", strings.Join(problems, "\n"))
	}
}
