package outlet

import (
	"reflect"
	"testing"
)

func TestName(t *testing.T) {
	tests := []struct {
		feedTitle, siteName, host, want string
	}{
		{"The Example Gazette", "", "127.0.0.57", "The Example Gazette"},
		{"Example News - World", "", "example.com", "Example News"},
		{"Top Stories | Example News", "", "www.example.co.uk", "Example News"},
		{"Home - Sample Times", "Sample Times", "sample.org", "Sample Times"},
		{"Latest headlines", "Northern Echo Daily", "echo.test", "Latest headlines"},
		{"World - Latest", "Sample Post", "10.0.0.1", "Sample Post"},
		{"", "Sample Post", "post.test", "Sample Post"},
		{"", "", "www.post.test", "post.test"},
		{"post.test", "", "post.test", "post.test"},
		{"   ", "  ", "127.0.0.57", "127.0.0.57"},
		{"An extremely long feed description that goes on and on about everything it covers daily", "", "long.test", "long.test"},
		{"Le Monde.fr - Actualités et Infos", "", "www.lemonde.fr", "Le Monde.fr"},
	}
	for _, tt := range tests {
		if got := Name(tt.feedTitle, tt.siteName, tt.host); got != tt.want {
			t.Errorf("Name(%q, %q, %q) = %q, want %q", tt.feedTitle, tt.siteName, tt.host, got, tt.want)
		}
	}
}

func TestAutoNamed(t *testing.T) {
	tests := []struct {
		name, home string
		want       bool
	}{
		{"127.0.0.57", "http://127.0.0.57/", true},
		{"example.com", "https://www.example.com/", true},
		{"news.example.co.uk", "", true},
		{"", "", true},
		{"Example News", "https://example.com/", false},
		{"BBC", "https://bbc.co.uk/", false},
		{"Version 2.0", "", false},
	}
	for _, tt := range tests {
		if got := AutoNamed(tt.name, tt.home); got != tt.want {
			t.Errorf("AutoNamed(%q, %q) = %v, want %v", tt.name, tt.home, got, tt.want)
		}
	}
}

func TestLearn(t *testing.T) {
	tests := []struct {
		name   string
		titles []string
		want   Affixes
	}{
		{"suffix repeated", []string{
			"Council approves the new budget - Sample Times",
			"Storm closes coastal roads - Sample Times",
			"Team wins the cup final - Sample Times",
			"Museum reopens after repairs",
		}, Affixes{Suffixes: []string{" - Sample Times"}}},
		{"prefix repeated", []string{
			"Sample Times | Council approves the new budget",
			"Sample Times | Storm closes coastal roads",
			"Sample Times | Team wins the cup final",
		}, Affixes{Prefixes: []string{"Sample Times | "}}},
		{"nested suffix longest first", []string{
			"Council approves the new budget - Local - Sample Times",
			"Storm closes coastal roads - Local - Sample Times",
			"Team wins the cup final - Local - Sample Times",
			"Rates rise again - Business - Sample Times",
		}, Affixes{Suffixes: []string{" - Local - Sample Times", " - Sample Times"}}},
		{"one dash teaches nothing", []string{
			"Council approves the new budget - and then some",
			"Storm closes coastal roads",
			"Team wins the cup final",
			"Museum reopens after repairs",
		}, Affixes{}},
		{"too few titles", []string{"A - S", "B - S"}, Affixes{}},
		{"colon kicker needs a majority", []string{
			"Live: Council approves the new budget",
			"Live: Storm closes coastal roads",
			"Live: Team wins the cup final",
			"Museum reopens after repairs",
			"Rates rise again",
			"Bridge closes for a week",
			"Mayor resigns",
		}, Affixes{}},
		{"colon prefix on most titles", []string{
			"Sample News: Council approves the new budget",
			"Sample News: Storm closes coastal roads",
			"Sample News: Team wins the cup final",
			"Museum reopens after repairs",
		}, Affixes{Prefixes: []string{"Sample News: "}}},
	}
	for _, tt := range tests {
		got := Learn(tt.titles)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Learn = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	times := Affixes{Suffixes: []string{" - Sample Times"}}
	tests := []struct {
		name  string
		title string
		af    Affixes
		names []string
		want  string
	}{
		{"learned suffix", "Council approves the new budget - Sample Times", times, nil, "Council approves the new budget"},
		{"host-named suffix", "Man hurt in crash on the interstate - wave3.com-Louisville News, Weather & Sports", Affixes{}, []string{"wave3.com"}, "Man hurt in crash on the interstate"},
		{"name suffix", "Storm closes coastal roads | Sample Times", Affixes{}, []string{"Sample Times"}, "Storm closes coastal roads"},
		{"name prefix", "SAMPLE TIMES - Storm closes coastal roads", Affixes{}, []string{"Sample Times"}, "Storm closes coastal roads"},
		{"doubled with site", "Bridgeport News: 2 Women ShotBridgeport News: 2 Women Shot - DoingItLocal", Affixes{}, []string{"doingitlocal.com"}, "Bridgeport News: 2 Women Shot"},
		{"doubled with space", "Storm closes coastal roads Storm closes coastal roads", Affixes{}, nil, "Storm closes coastal roads"},
		{"short repeat kept", "Go Go Gadget", Affixes{}, nil, "Go Go Gadget"},
		{"never strip to nothing", "Budget - Sample Times", times, []string{"Sample Times"}, "Budget - Sample Times"},
		{"dash in headline kept", "Prices rise - and keep rising", times, []string{"Sample Times"}, "Prices rise - and keep rising"},
		{"whitespace tidied", "  Storm   closes roads  ", Affixes{}, nil, "Storm closes roads"},
		{"empty", "", times, nil, ""},
	}
	for _, tt := range tests {
		if got := Clean(tt.title, tt.af, tt.names...); got != tt.want {
			t.Errorf("%s: Clean(%q) = %q, want %q", tt.name, tt.title, got, tt.want)
		}
	}
}
