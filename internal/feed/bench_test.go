package feed

import (
	"fmt"
	"strings"
	"testing"
)

// bigRSS builds a feed shaped like a busy news feed: n items with HTML
// descriptions, media images and dates.
func bigRSS(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Bench</title><link>https://bench.example/</link>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<item><title>Headline number %d about events</title><link>https://bench.example/news/%d?utm_source=rss</link><guid>id-%d</guid><pubDate>Tue, 10 Jun 2025 14:%02d:00 +0000</pubDate><description>&lt;p&gt;%s&lt;/p&gt;</description><media:content url="https://img.bench.example/%d.jpg" medium="image"/></item>`,
			i, i, i, i%60, strings.Repeat("Some summary text. ", 20), i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func BenchmarkParseRSS100(b *testing.B) {
	body := bigRSS(100)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Parse(body, "application/rss+xml", "https://bench.example/rss"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLatin1RSS100(b *testing.B) {
	body := []byte(strings.ReplaceAll(string(bigRSS(100)), "events", "\xe9v\xe9nements"))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Parse(body, "", "https://bench.example/rss"); err != nil {
			b.Fatal(err)
		}
	}
}
