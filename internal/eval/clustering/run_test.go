package clustering

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunReportIsLastLine(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "tiny.jsonl")
	lines := []string{
		`{"id":"1","cluster":"fire","title":"Fire destroys Kessler Road warehouse in Springfield","text":"A fire destroyed the Acme warehouse on Kessler Road in Springfield overnight, Fire Chief Dana Whitmore said.","published":"2025-03-01T08:00:00Z","source":"a","lang":"en"}`,
		`{"id":"2","cluster":"vote","title":"Council approves Millbrook parks budget","text":"The Millbrook council voted 5-2 on Monday to approve a parks budget that adds two pools.","published":"2025-03-01T07:00:00Z","source":"b","lang":"en"}`,
		`{"id":"3","cluster":"fire","title":"Springfield warehouse fire on Kessler Road under investigation","text":"Investigators are looking into the cause of the fire at the Acme warehouse on Kessler Road in Springfield, Chief Dana Whitmore said.","published":"2025-03-01T09:00:00Z","source":"c","lang":"en"}`,
		`{"id":"4","cluster":"vote","title":"Millbrook council backs parks budget with two new pools","text":"Millbrook council members approved the parks budget 5-2, adding two public pools.","published":"2025-03-01","source":"d","lang":"en"}`,
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep, err := Run(context.Background(), in, LevelEvent, &out)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(out.String())
	last := text[strings.LastIndexByte(text, '\n')+1:]
	var got map[string]float64
	if err := json.Unmarshal([]byte(last), &got); err != nil {
		t.Fatalf("last line is not a JSON object: %q: %v", last, err)
	}
	for _, k := range []string{"docs", "gold_clusters", "clusters", "pairwise_precision", "pairwise_recall", "pairwise_f1",
		"bcubed_precision", "bcubed_recall", "bcubed_f1", "docs_per_sec", "peak_heap_mb"} {
		if _, ok := got[k]; !ok {
			t.Errorf("report lacks %q: %s", k, last)
		}
	}
	if rep.Docs != 4 || rep.GoldClusters != 2 || got["docs"] != 4 {
		t.Errorf("report counts: %+v", rep)
	}
	if rep.BCubedF1 != 1 || rep.Clusters != 2 {
		t.Errorf("two clear stories not recovered: %+v", rep)
	}

	if _, err := Run(context.Background(), filepath.Join(dir, "missing.jsonl"), LevelEvent, &out); err == nil {
		t.Error("missing input: no error")
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{not json}\n"), 0o644)
	if _, err := Run(context.Background(), bad, LevelEvent, &out); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad input: error %v should name the line", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, in, LevelEvent, &out); err == nil {
		t.Error("cancelled context: no error")
	}
}

// TestDevSets guards the tuned quality on the labelled development sets
// (skipped when the data is absent, failing instead under CI=true).
func TestDevSets(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	dir := dataDir(t)
	for _, tt := range []struct {
		file     string
		level    Level
		minBCube float64
	}{
		{"gva-dev.jsonl", LevelStoryline, 0.925},
		{"uci-dev.jsonl", LevelStoryline, 0.75},
		{"allsides-dev.jsonl", LevelEvent, 0.90},
		{"neus-dev.jsonl", LevelEvent, 0.70},
	} {
		var out bytes.Buffer
		rep, err := Run(context.Background(), filepath.Join(dir, tt.file), tt.level, &out)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", tt.file, strings.TrimSpace(out.String()))
		if rep.BCubedF1 < tt.minBCube {
			t.Errorf("%s: BCubed F1 %.3f below %.3f", tt.file, rep.BCubedF1, tt.minBCube)
		}
	}
}

// TestRoundupSynthetic: lead paragraphs from three outlets per event, with
// same-topic events on the same days, written for this test before real
// roundup data existed (allsides-dev in TestDevSets now decides). Events must
// never mix (precision 1) and most reports must find their event.
func TestRoundupSynthetic(t *testing.T) {
	rep, err := runDocs(context.Background(), roundupRecords(), LevelEvent, defaultConfig(), nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.BCubedPrecision < 1 || rep.BCubedF1 < 0.85 {
		t.Errorf("roundup BCubed P %.3f F1 %.3f, want 1 and >= 0.85 (%+v)", rep.BCubedPrecision, rep.BCubedF1, rep)
	}
}
