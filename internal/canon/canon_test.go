package canon

import (
	"errors"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already canonical", "https://example.com/news/a", "https://example.com/news/a"},
		{"lower-case scheme and host", "HTTPS://WWW.Example.COM/News/Story", "https://www.example.com/News/Story"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"other port kept", "http://example.com:8080/a", "http://example.com:8080/a"},
		{"https on 80 keeps port", "https://example.com:80/a", "https://example.com:80/a"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"utm dropped", "https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"tracking mixed with real", "https://example.com/a?id=7&fbclid=XYZ&gclid=1&page=2", "https://example.com/a?id=7&page=2"},
		{"tracking case-insensitive", "https://example.com/a?UTM_Source=x&Id=1", "https://example.com/a?Id=1"},
		{"bbc at_ params", "https://www.bbc.co.uk/news/articles/c1?at_medium=RSS&at_campaign=rss", "https://www.bbc.co.uk/news/articles/c1"},
		{"le monde xtor", "https://www.lemonde.fr/x/article/1.html?xtor=RSS-3208", "https://www.lemonde.fr/x/article/1.html"},
		{"params sorted", "https://example.com/s?b=2&a=1&c=3", "https://example.com/s?a=1&b=2&c=3"},
		{"duplicate keys sorted by value", "https://example.com/s?a=2&a=1", "https://example.com/s?a=1&a=2"},
		{"trailing question mark", "https://example.com/a?", "https://example.com/a"},
		{"only tracking leaves no question mark", "https://example.com/a?utm_campaign=x", "https://example.com/a"},
		{"empty pairs dropped", "https://example.com/a?&&x=1&", "https://example.com/a?x=1"},
		{"path case kept", "https://example.com/Politics/Story-ABC", "https://example.com/Politics/Story-ABC"},
		{"dot dot resolved", "https://example.com/a/b/../c", "https://example.com/a/c"},
		{"dot resolved", "https://example.com/a/./b", "https://example.com/a/b"},
		{"dot dot above root", "https://example.com/../../a", "https://example.com/a"},
		{"trailing dot dot keeps slash", "https://example.com/a/b/..", "https://example.com/a/"},
		{"trailing slash kept", "https://example.com/a/", "https://example.com/a/"},
		{"empty path becomes slash", "https://example.com", "https://example.com/"},
		{"escapes upper-cased", "https://example.com/caf%c3%a9?q=%c3%a9", "https://example.com/caf%C3%A9?q=%C3%A9"},
		{"encoded slash kept", "https://example.com/a%2Fb", "https://example.com/a%2Fb"},
		{"credentials dropped", "https://user:pw@example.com/a", "https://example.com/a"},
		{"trailing dot in host", "https://example.com./a", "https://example.com/a"},
		{"ipv6 host default port", "http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"surrounding spaces", "  https://example.com/a  ", "https://example.com/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := URL(tt.in)
			if err != nil {
				t.Fatalf("URL(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// Canonicalizing twice must change nothing.
			again, err := URL(got)
			if err != nil || again != got {
				t.Errorf("URL(URL(%q)) = %q, %v; want %q", tt.in, again, err, got)
			}
		})
	}
}

func TestURLErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"ftp://example.com/a", ErrNotHTTP},
		{"mailto:a@example.com", ErrNotHTTP},
		{"/relative/path", ErrNotHTTP},
		{"https:///nohost", ErrNoHost},
	}
	for _, tt := range tests {
		_, err := URL(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("URL(%q) error = %v, want %v", tt.in, err, tt.want)
		}
	}
	if _, err := URL("http://exa mple.com/%zz"); err == nil {
		t.Error("URL with invalid escape: want error")
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		base, ref, want string
	}{
		{"https://example.com/feed.xml", "/news/a", "https://example.com/news/a"},
		{"https://example.com/news/feed.xml", "a.html", "https://example.com/news/a.html"},
		{"https://example.com/news/feed.xml", "../b.html", "https://example.com/b.html"},
		{"https://example.com/feed.xml", "//cdn.example.net/i.jpg", "https://cdn.example.net/i.jpg"},
		{"https://example.com/feed.xml", "http://other.org/x", "http://other.org/x"},
		{"https://example.com/feed.xml", "  /spaced  ", "https://example.com/spaced"},
		{"", "/relative", "/relative"},
		{"https://example.com/", "", ""},
		{"https://example.com/", "%zz", "%zz"},
	}
	for _, tt := range tests {
		if got := Resolve(tt.base, tt.ref); got != tt.want {
			t.Errorf("Resolve(%q, %q) = %q, want %q", tt.base, tt.ref, got, tt.want)
		}
	}
}

func TestIsTrackingParam(t *testing.T) {
	for _, k := range []string{"utm_source", "utm_whatever", "fbclid", "GCLID", "mc_eid", "_ga", "ns_mchannel", "xtor"} {
		if !IsTrackingParam(k) {
			t.Errorf("IsTrackingParam(%q) = false, want true", k)
		}
	}
	for _, k := range []string{"id", "page", "q", "article", "ref", "utm"} {
		if IsTrackingParam(k) {
			t.Errorf("IsTrackingParam(%q) = true, want false", k)
		}
	}
}
