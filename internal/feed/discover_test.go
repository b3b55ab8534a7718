package feed

import (
	"slices"
	"testing"
)

func TestDiscover(t *testing.T) {
	tests := []struct {
		name string
		page string
		want []string
	}{
		{"rss and atom", `<!doctype html><html><head>
			<link rel="stylesheet" href="/s.css">
			<link rel="alternate" type="application/rss+xml" title="All" href="/feed.xml">
			<LINK REL="Alternate" TYPE="application/atom+xml" HREF="https://cdn.example.com/atom">
			<link rel="alternate" type="application/rss+xml" href="/feed.xml">
			<link rel="alternate" hreflang="fr" href="/fr/">
			</head><body></body></html>`,
			[]string{"https://news.example.com/feed.xml", "https://cdn.example.com/atom"}},
		{"json feed and charset param", `<head><link rel="alternate feed" type="application/feed+json; charset=utf-8" href="feed.json"/></head>`,
			[]string{"https://news.example.com/section/feed.json"}},
		{"base href", `<head><base href="https://static.example.org/x/"><link rel="alternate" type="application/rss+xml" href="rss"></head>`,
			[]string{"https://static.example.org/x/rss"}},
		{"links in body ignored", `<head></head><body><link rel="alternate" type="application/rss+xml" href="/late.xml"></body>`, nil},
		{"no feeds", `<html><head><title>x</title></head></html>`, nil},
		{"garbage", "\x00\xff<<<>>>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Discover([]byte(tt.page), "https://news.example.com/section/page.html")
			if !slices.Equal(got, tt.want) {
				t.Errorf("Discover = %q, want %q", got, tt.want)
			}
		})
	}
}
