package canon

import "testing"

func BenchmarkURL(b *testing.B) {
	const raw = "HTTPS://www.Example.com:443/news/world/../2025/06/10/story-name.html?utm_source=rss&utm_medium=feed&id=42&fbclid=abc#comments"
	for b.Loop() {
		if _, err := URL(raw); err != nil {
			b.Fatal(err)
		}
	}
}
