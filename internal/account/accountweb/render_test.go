package accountweb

import "testing"

func TestLinkify(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"hello", "<p>hello</p>"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"see https://example.org/a?b=1&c=2.", `<p>see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc">https://example.org/a?b=1&amp;c=2</a>.</p>`},
		{"(https://en.wikipedia.org/wiki/Go_(game))", `<p>(<a href="https://en.wikipedia.org/wiki/Go_(game)" rel="nofollow ugc">https://en.wikipedia.org/wiki/Go_(game)</a>)</p>`},
		{`javascript:alert(1) http://x.org/"onmouseover="alert(1)`, `<p>javascript:alert(1) <a href="http://x.org/" rel="nofollow ugc">http://x.org/</a>&#34;onmouseover=&#34;alert(1)</p>`},
		{"a\nb\n\n\nc", "<p>a<br>\nb</p>\n<p>c</p>"},
		{"http://", "<p>http://</p>"},
		{"HTTPS://EXAMPLE.ORG", `<p><a href="https://EXAMPLE.ORG" rel="nofollow ugc">HTTPS://EXAMPLE.ORG</a></p>`},
	} {
		if got := string(Linkify(tc.in)); got != tc.want {
			t.Errorf("Linkify(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}
