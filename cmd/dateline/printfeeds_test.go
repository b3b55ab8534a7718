package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"
)

// TestPrintFeedsStatus: `feeds list` names each feed's state, a retired
// feed as retired (with the date) rather than as failing.
func TestPrintFeedsStatus(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	src := model.Source{Name: "Gazette", Country: "IE", Language: "en"}
	list := []model.Feed{
		{URL: "https://a.example/new.xml", Source: src},
		{URL: "https://a.example/ok.xml", Source: src, LastPoll: now, LastStatus: 200},
		{URL: "https://a.example/bad.xml", Source: src, LastPoll: now, LastStatus: 500, LastError: "http status 500", Failures: 2},
		{URL: "https://a.example/gone.xml", Source: src, LastPoll: now, LastStatus: 410, LastError: "retired, no longer polled: http status 410 Gone", Failures: 1, Retired: now},
	}
	var out bytes.Buffer
	if err := printFeeds(&out, list, now); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"new.xml": "pending", "ok.xml": "ok", "bad.xml": "failing (2 polls", "gone.xml": "retired 2026-11-20"}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")[1:]
	if len(lines) != len(list) {
		t.Fatalf("%d lines for %d feeds:\n%s", len(lines), len(list), out.String())
	}
	for _, line := range lines {
		for suffix, status := range want {
			if strings.Contains(line, "/"+suffix) && !strings.Contains(line, status) {
				t.Errorf("%s: line %q does not say %q", suffix, line, status)
			}
		}
	}
}
