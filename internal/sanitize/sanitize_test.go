package sanitize

import (
	"strings"
	"testing"
)

func TestHTMLRemovesHostileMarkup(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		mustNot  []string // substrings (lower-cased output) that must be gone
		mustHave []string
	}{
		{"script", `<p>hi</p><script>alert(1)</script>`, []string{"<script", "alert"}, []string{"<p>hi</p>"}},
		{"style", `<style>body{display:none}</style><p>x</p>`, []string{"<style", "display"}, []string{"<p>x</p>"}},
		{"iframe", `<iframe src="https://evil.example/"></iframe><p>x</p>`, []string{"iframe", "evil"}, nil},
		{"event handler", `<p onclick="steal()">x</p><img src="https://a.example/i.png" onerror="steal()">`,
			[]string{"onclick", "onerror", "steal"}, []string{`<img src="https://a.example/i.png"`}},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, []string{"javascript", "href"}, []string{"x"}},
		{"encoded javascript href", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"javascript", "alert", "href"}, nil},
		{"data img", `<img src="data:image/svg+xml;base64,PHN2Zz4=">`, []string{"data:", "<img"}, nil},
		{"javascript img", `<img src="javascript:alert(1)">`, []string{"javascript", "<img"}, nil},
		{"relative img", `<img src="/a.png">`, []string{"a.png"}, nil},
		{"svg script", `<svg><script>alert(1)</script></svg>`, []string{"svg", "alert"}, nil},
		{"form", `<form action="https://e.example"><input name=q><button>go</button></form>`,
			[]string{"<form", "<input", "<button"}, nil},
		{"style attr", `<p style="background:url(javascript:alert(1))">x</p>`, []string{"style", "javascript"}, []string{"<p>x</p>"}},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://e.example"><p>x</p>`, []string{"<meta", "refresh"}, nil},
		{"object embed", `<object data="x.swf"></object><embed src="x.swf">`, []string{"object", "embed", "swf"}, nil},
		{"unclosed attr", `<p title="x><script>alert(1)</script>`, []string{"<script"}, nil},
		{"target blank dropped", `<a href="https://a.example/" target="_blank" rel="opener">x</a>`,
			[]string{"target", `rel="opener"`}, []string{`<a href="https://a.example/" rel="nofollow noopener">x</a>`}},
		{"base", `<base href="https://evil.example/"><a href="https://a.example/">x</a>`, []string{"<base", "evil"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HTML(tt.in)
			low := strings.ToLower(got)
			for _, bad := range tt.mustNot {
				if strings.Contains(low, bad) {
					t.Errorf("HTML(%q) = %q, still contains %q", tt.in, got, bad)
				}
			}
			for _, good := range tt.mustHave {
				if !strings.Contains(got, good) {
					t.Errorf("HTML(%q) = %q, want it to contain %q", tt.in, got, good)
				}
			}
		})
	}
}

func TestHTMLKeepsArticleMarkup(t *testing.T) {
	in := `<h2>Title</h2><p>Some <strong>bold</strong> and <em>em</em> text with a <a href="https://example.com/x?a=1&amp;b=2">link</a>.</p>` +
		`<ul><li>one</li><li>two</li></ul><blockquote>quote</blockquote>` +
		`<figure><img src="https://example.com/i.jpg" alt="pic"><figcaption>cap</figcaption></figure>` +
		`<table><tr><th>h</th><td colspan="2">d</td></tr></table>`
	want := `<h2>Title</h2><p>Some <strong>bold</strong> and <em>em</em> text with a <a href="https://example.com/x?a=1&amp;b=2" rel="nofollow noopener">link</a>.</p>` +
		`<ul><li>one</li><li>two</li></ul><blockquote>quote</blockquote>` +
		`<figure><img src="https://example.com/i.jpg" alt="pic"><figcaption>cap</figcaption></figure>` +
		`<table><tr><th>h</th><td colspan="2">d</td></tr></table>`
	if got := HTML(in); got != want {
		t.Errorf("HTML() =\n%s\nwant\n%s", got, want)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"paragraphs", "<p>One  two\nthree</p><p>Four</p>", "One two three\nFour"},
		{"inline", "<p>a<b>b</b> <i>c</i></p>", "ab c"},
		{"br", "line one<br>line two", "line one\nline two"},
		{"headings and lists", "<h1>T</h1><ul><li>x</li><li>y</li></ul>", "T\nx\ny"},
		{"entities", "<p>Caf&eacute; &amp; &lt;tag&gt;&nbsp;ok</p>", "Café & <tag> ok"},
		{"skip script", "<p>a</p><script>var x = 1;</script><style>p{}</style><p>b</p>", "a\nb"},
		{"table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"pre keeps lines", "<pre>x := 1\n  y := 2</pre>", "x := 1\ny := 2"},
		{"blank blocks", "<div><p> </p><div>\n</div>text</div>", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
