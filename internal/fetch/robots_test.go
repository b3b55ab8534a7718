package fetch

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestParseRobots: which group applies to "Dateline" and what it allows.
func TestParseRobots(t *testing.T) {
	type check struct {
		path    string
		allowed bool
	}
	cases := []struct {
		name   string
		file   string
		checks []check
	}{
		{"no file", "", []check{{"/", true}, {"/a/b?c", true}}},
		{"star only", "User-agent: *\nDisallow: /private\n", []check{
			{"/private", false}, {"/private/x", false}, {"/privateer", false}, {"/public", true}, {"/", true}}},
		{"our group beats star", "User-agent: *\nDisallow: /\n\nUser-agent: Dateline\nDisallow: /drafts\n", []check{
			{"/news/1", true}, {"/drafts/2", false}}},
		{"our group even when empty", "User-agent: *\nDisallow: /\n\nUser-agent: dateline\n", []check{
			{"/news/1", true}}},
		{"token match is case-insensitive and ignores version", "User-agent: DATELINE/2.0\nDisallow: /x\n", []check{
			{"/x", false}, {"/y", true}}},
		{"other crawler's group ignored", "User-agent: Googlebot\nDisallow: /\n\nUser-agent: DatelineX\nDisallow: /\n", []check{
			{"/news", true}}},
		{"no star and not named", "User-agent: Googlebot\nDisallow: /\n", []check{{"/", true}}},
		{"consecutive agents share a group", "User-agent: Googlebot\nUser-agent: Dateline\nDisallow: /g\n", []check{
			{"/g", false}}},
		{"groups naming us are merged", "User-agent: Dateline\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\n\nUser-agent: Dateline\nDisallow: /c\n", []check{
			{"/a", false}, {"/b", true}, {"/c", false}}},
		{"rule after rule stays in group; agent after rule starts one", "User-agent: Dateline\nDisallow: /a\nUser-agent: Other\nDisallow: /b\n", []check{
			{"/a", false}, {"/b", true}}},
		{"rules before any agent ignored", "Disallow: /\nUser-agent: *\nDisallow: /x\n", []check{
			{"/", true}, {"/x", false}}},
		{"longest match wins", "User-agent: *\nDisallow: /news\nAllow: /news/public\nDisallow: /news/public/secret\n", []check{
			{"/news/1", false}, {"/news/public/1", true}, {"/news/public/secret/1", false}}},
		{"longest match regardless of order", "User-agent: *\nAllow: /a/b\nDisallow: /a\n", []check{
			{"/a/b/c", true}, {"/a/c", false}}},
		{"allow wins ties", "User-agent: *\nDisallow: /page\nAllow: /page\n", []check{{"/page", true}}},
		{"allow wins ties in either order", "User-agent: *\nAllow: /page\nDisallow: /page\n", []check{{"/page", true}}},
		{"wildcard", "User-agent: *\nDisallow: /*.pdf\nDisallow: /a/*/c\n", []check{
			{"/docs/x.pdf", false}, {"/x.pdf?dl=1", false}, {"/x.html", true}, {"/a/b/c", false}, {"/a/b/d/c/e", false}, {"/a/c", true}}},
		{"end anchor", "User-agent: *\nDisallow: /*.php$\nDisallow: /exact$\n", []check{
			{"/index.php", false}, {"/index.php?x=1", true}, {"/index.php5", true}, {"/exact", false}, {"/exact/", true}}},
		{"dollar inside a pattern is literal", "User-agent: *\nDisallow: /a$b\n", []check{
			{"/a$b/c", false}, {"/a", true}}},
		{"wildcard then anchor", "User-agent: *\nDisallow: /*/amp$\n", []check{
			{"/story/amp", false}, {"/story/amp/", true}, {"/amp/story", true}}},
		{"star matches empty", "User-agent: *\nDisallow: /a*\n", []check{{"/a", false}}},
		{"longest wildcard pattern wins", "User-agent: *\nAllow: /*\nDisallow: /*.gif$\n", []check{
			{"/x.gif", false}, {"/x.png", true}}},
		{"empty disallow allows all", "User-agent: *\nDisallow:\n", []check{{"/", true}, {"/x", true}}},
		{"empty disallow among rules", "User-agent: *\nDisallow:\nDisallow: /x\n", []check{{"/", true}, {"/x", false}}},
		{"query is matched", "User-agent: *\nDisallow: /*?print=\nDisallow: /search?\n", []check{
			{"/story?print=1", false}, {"/search?q=x", false}, {"/search", true}, {"/story", true}}},
		{"comments and spaces", "# hello\nUser-agent: * # everyone\n  Disallow :  /x   # not x\n#Disallow: /y\n", []check{
			{"/x", false}, {"/y", true}}},
		{"keys are case-insensitive", "USER-AGENT: *\nDISALLOW: /x\n", []check{{"/x", false}}},
		{"paths are case-sensitive", "User-agent: *\nDisallow: /X\n", []check{{"/x", true}, {"/X", false}}},
		{"BOM", "\xef\xbb\xbfUser-agent: *\nDisallow: /x\n", []check{{"/x", false}}},
		{"CRLF", "User-agent: *\r\nDisallow: /x\r\nAllow: /x/y\r\n", []check{{"/x", false}, {"/x/y", true}}},
		{"bare CR", "User-agent: *\rDisallow: /x\r", []check{{"/x", false}}},
		{"no final newline", "User-agent: *\nDisallow: /x", []check{{"/x", false}}},
		{"garbage lines skipped", "User-agent: *\nthis is not a rule\n<html>\nDisallow: /x\n", []check{{"/x", false}, {"/", true}}},
		{"sitemap does not end a group", "User-agent: Dateline\nSitemap: https://example.com/s.xml\nUser-agent: Other\nDisallow: /x\n", []check{
			{"/x", false}}},
		{"robots.txt always allowed", "User-agent: *\nDisallow: /\n", []check{{"/robots.txt", true}, {"/", false}}},
		{"percent-encoding normalized", "User-agent: *\nDisallow: /caf%c3%a9\nDisallow: /%7Eed\nDisallow: /a%2fb\n", []check{
			{"/caf%C3%A9/1", false}, {"/café", false}, {"/~ed", false}, {"/a%2Fb", false}, {"/a/b", true}}},
		{"non-ASCII rule", "User-agent: *\nDisallow: /über\n", []check{{"/%C3%BCber", false}, {"/uber", true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ParseRobots([]byte(tc.file), "Dateline")
			for _, c := range tc.checks {
				if got := r.Allowed(c.path); got != c.allowed {
					t.Errorf("Allowed(%q) = %v, want %v", c.path, got, c.allowed)
				}
			}
		})
	}
}

// TestParseRobotsOversized: rules within the first RobotsMaxBytes count, the
// rest (including a line cut by the cap) do not.
func TestParseRobotsOversized(t *testing.T) {
	head := "User-agent: *\nDisallow: /early\n"
	// One long comment line, so the cap falls 12 bytes into the next line,
	// after "Disallow: /c": read whole, that would disallow /cut.
	pad := strings.Repeat("#", RobotsMaxBytes-12-len(head)-1) + "\n"
	file := head + pad + "Disallow: /cut\nDisallow: /late\n"
	if !strings.HasSuffix(file[:RobotsMaxBytes], "Disallow: /c") {
		t.Fatalf("the cap falls at %q", file[RobotsMaxBytes-12:RobotsMaxBytes])
	}
	r := ParseRobots([]byte(file), "Dateline")
	if r.Allowed("/early") {
		t.Error("/early allowed: a rule under the cap was lost")
	}
	if !r.Allowed("/late") {
		t.Error("/late disallowed: a rule past the cap was read")
	}
	if !r.Allowed("/cut") {
		t.Error("/cut disallowed: the line cut by the cap was read")
	}
}

func TestCrawlDelay(t *testing.T) {
	cases := []struct {
		file string
		want time.Duration
	}{
		{"User-agent: *\nDisallow: /x\n", 0},
		{"User-agent: *\nCrawl-delay: 2\n", 2 * time.Second},
		{"User-agent: *\nCrawl-delay: 0.5\n", 500 * time.Millisecond},
		{"User-agent: *\nCrawl-delay: 3600\n", MaxCrawlDelay},
		{"User-agent: *\nCrawl-delay: soon\n", 0},
		{"User-agent: *\nCrawl-delay: -4\n", 0},
		{"User-agent: *\nCrawl-delay: NaN\n", 0},
		{"User-agent: *\nCrawl-delay: 9\n\nUser-agent: Dateline\nCrawl-delay: 1\n", time.Second},
		{"User-agent: Googlebot\nCrawl-delay: 9\n", 0},
		// The delay stays in the group; later agent lines join it.
		{"User-agent: Other\nCrawl-delay: 4\nUser-agent: Dateline\nDisallow: /x\n", 4 * time.Second},
	}
	for _, tc := range cases {
		if got := ParseRobots([]byte(tc.file), "Dateline").CrawlDelay(); got != tc.want {
			t.Errorf("%q: Crawl-delay %s, want %s", tc.file, got, tc.want)
		}
	}
}

func TestRobotsMatch(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/", true},
		{"/a", "/", false},
		{"/a*b*c", "/axxbyyc", true},
		{"/a*b*c", "/axxcyyb", false},
		{"/a*b$", "/ab", true},
		{"/a*b$", "/abab", true},
		{"/a*b$", "/aba", false},
		{"/*a*a$", "/a", false},
		{"/*a*a$", "/aa", true},
		{"*", "/anything", true},
		{"/$", "/", true},
		{"/$", "/x", false},
		{"**", "/", true},
	}
	for _, c := range cases {
		if got := robotsMatch(c.pattern, c.path); got != c.want {
			t.Errorf("robotsMatch(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestAgentToken(t *testing.T) {
	for in, want := range map[string]string{
		DefaultUserAgent:  "Dateline",
		"Dateline":        "Dateline",
		"news-bot_2 (x)":  "news-bot_",
		"":                "",
		"Mozilla/5.0 (X)": "Mozilla",
	} {
		if got := agentToken(in); got != want {
			t.Errorf("agentToken(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkRobotsAllowed: the per-page cost of a check against a large
// news site's rules (run with -cpu 1).
func BenchmarkRobotsAllowed(b *testing.B) {
	var f strings.Builder
	f.WriteString("User-agent: *\n")
	for i := range 200 {
		fmt.Fprintf(&f, "Disallow: /section%d/*/print$\nAllow: /section%d/public/\nDisallow: /*?utm_%d=\n", i, i, i)
	}
	r := ParseRobots([]byte(f.String()), "Dateline")
	paths := []string{"/section150/2026/11/21/harbour-bridge-reopens", "/section7/x/print", "/news/caf%c3%a9?id=4"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Allowed(paths[i%len(paths)])
	}
}
