package web

import (
	"testing"
	"time"
)

func TestRelativeTime(t *testing.T) {
	utc := time.UTC
	tokyo := time.FixedZone("JST", 9*3600)
	noon := time.Date(2026, 11, 21, 12, 0, 0, 0, utc)
	early := time.Date(2026, 11, 21, 1, 0, 0, 0, utc) // 01:00: yesterday is close
	tests := []struct {
		name string
		now  time.Time
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"seconds", noon, noon.Add(-10 * time.Second), utc, "just now"},
		{"a minute", noon, noon.Add(-time.Minute), utc, "1 minute ago"},
		{"minutes", noon, noon.Add(-35 * time.Minute), utc, "35 minutes ago"},
		{"an hour", noon, noon.Add(-time.Hour), utc, "1 hour ago"},
		{"same day", noon, noon.Add(-11 * time.Hour), utc, "11 hours ago"},
		{"yesterday afternoon", noon, noon.Add(-23 * time.Hour), utc, "yesterday"},
		{"just before midnight", early, early.Add(-2 * time.Hour), utc, "2 hours ago"},
		{"30 hours, yesterday", noon, noon.Add(-30 * time.Hour), utc, "yesterday"},
		{"30 hours, two calendar days", early, early.Add(-30 * time.Hour), utc, "2 days ago"},
		{"three days", noon, noon.Add(-72 * time.Hour), utc, "3 days ago"},
		{"this year", noon, noon.Add(-60 * 24 * time.Hour), utc, "22 Sep"},
		{"last year", noon, noon.Add(-400 * 24 * time.Hour), utc, "17 Oct 2025"},
		{"future today shows its time", noon, noon.Add(3 * time.Hour), utc, "15:00"},
		{"far future shows its date", noon, time.Date(9999, 12, 31, 23, 0, 0, 0, utc), utc, "31 Dec 9999 23:00"},
		{"tomorrow", noon, noon.Add(24 * time.Hour), utc, "22 Nov 12:00"},
		{"clock skew under a minute", noon, noon.Add(30 * time.Second), utc, "just now"},
		// 20:00 UTC on the 20th is 05:00 on the 21st in Tokyo: today there.
		{"reader's zone decides the day", noon, time.Date(2026, 11, 20, 20, 0, 0, 0, utc), tokyo, "16 hours ago"},
		{"zero", noon, time.Time{}, utc, "never"},
	}
	for _, tt := range tests {
		if got := relativeTime(tt.now, tt.t, tt.loc); got != tt.want {
			t.Errorf("%s: relativeTime(%v, %v) = %q, want %q", tt.name, tt.now, tt.t, got, tt.want)
		}
	}
}
