package ingest

import "testing"

func TestSourceName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"kxyz.example", "kxyz.example"},
		{"kxyz.example:80", "kxyz.example"},
		{" kxyz.example:443 ", "kxyz.example"},
		{"kxyz.example:8080", "kxyz.example:8080"}, // another port may be another site
		{"Radio 4:80", "Radio 4:80"},               // not a host
		{":80", ":80"},
		{"", ""},
	} {
		if got := sourceName(tc.in); got != tc.want {
			t.Errorf("sourceName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
