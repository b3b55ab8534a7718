package accountweb

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/dateline-news/dateline/internal/browsertest"
)

// TestBrowserSignUpCommentReply drives headless Chromium through the real
// pages under the site's CSP: sign up, comment, reply, see both, with no
// console errors, exceptions or CSP violations.
func TestBrowserSignUpCommentReply(t *testing.T) {
	e := newEnv(t, Options{}, false)

	ctx := browsertest.Start(t, 90*time.Second)

	// Every console message, exception and browser-log entry (CSP violations
	// land there) is a problem: the pages run no script at all.
	// The test ends by writing endMark to the console itself (through
	// DevTools, which the CSP does not govern): messages keep their order, so
	// once the mark is read every message the pages caused before it is in.
	const endMark = "dateline-test-end-of-console"
	var mu sync.Mutex
	var problems []string
	ended := make(chan struct{})
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Text == endMark {
				close(ended)
				return
			}
			mu.Lock()
			problems = append(problems, m.String())
			mu.Unlock()
		}
	}()

	checkCSP := func(step string, res *network.Response, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		got, _ := res.Headers["Content-Security-Policy"].(string)
		if res.Status != 200 || got != csp {
			t.Errorf("%s: %s status %d, CSP %q", step, res.URL, res.Status, got)
		}
	}
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.srv.URL+"/story/1"))
	checkCSP("story page", res, err)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`//p[contains(., "No comments yet")]`)); err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#comments a[href^="/signup"]`)))
	checkCSP("sign-up page", res, err)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "browser_ann"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "a long enough password"),
	)
	if err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.account-form button[type=submit]`)))
	checkCSP("sign-up", res, err)
	if !strings.HasSuffix(res.URL, "/story/1") {
		t.Fatalf("after sign-up at %s", res.URL)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`form.comment-form textarea`), "First! See https://example.org/report.")); err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.comment-form button[type=submit]`)))
	checkCSP("post comment", res, err)
	// Reply through the <details> disclosure: no script needed.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`details.reply summary`)),
		chromedp.WaitVisible(chromedp.CSS(`details.reply textarea`)),
		chromedp.SendKeys(chromedp.CSS(`details.reply textarea`), "A reply <b>in</b> plain text"),
	)
	if err != nil {
		t.Fatal(err)
	}
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`details.reply button[type=submit]`)))
	checkCSP("post reply", res, err)

	page, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#comments`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"First! See https://example.org/report.", "A reply <b>in</b> plain text", "browser_ann", "2 comments"} {
		if !strings.Contains(page, want) {
			t.Errorf("comment section text lacks %q:\n%s", want, page)
		}
	}
	replies, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(`ol.replies article.comment`), chromedp.AtLeast(0)))
	if err != nil || len(replies) != 1 {
		t.Errorf("replies rendered: %d (%v)", len(replies), err)
	}
	rel, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.comment .body a`), "rel"))
	if err != nil || rel.Value != "nofollow ugc" {
		t.Errorf("link rel = %q (%v)", rel.Value, err)
	}
	bold, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(`.comment .body b`), chromedp.AtLeast(0)))
	if err != nil || len(bold) != 0 {
		t.Errorf("reply markup became elements: %d (%v)", len(bold), err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`console.debug("`+endMark+`")`)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-ctx.Done():
		t.Fatal("the console's end mark never arrived")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("browser console:\n%s", strings.Join(problems, "\n"))
	}
}
