package extraction

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchmarkDir finds the shared benchmark data next to the repository. It skips
// the test when the data is absent, unless CI=true, where absence is a failure.
func benchmarkDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data", "article-extraction-benchmark")
	if _, err := os.Stat(filepath.Join(data, "ground-truth.json")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("benchmark data missing at %s (CI=true): %v", data, err)
		}
		tb.Skipf("benchmark data not found at %s", data)
	}
	return data
}

func TestRunBenchmarkQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts 88 pages")
	}
	dir := benchmarkDir(t)
	var out bytes.Buffer
	rep, err := Run(context.Background(), dir, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	if rep.Pages != 88 {
		t.Errorf("pages = %d, want 88", rep.Pages)
	}
	if rep.F1 < 0.955 {
		t.Errorf("F1 = %.4f, want >= 0.955", rep.F1)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var last Report
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("last line is not JSON: %v", err)
	}
	if last.Pages != rep.Pages || last.F1 != rep.F1 || last.PagesPerSec != rep.PagesPerSec {
		t.Errorf("JSON line %+v does not match report %+v", last, rep)
	}
}

// writeBench writes a tiny benchmark directory in the upstream layout.
func writeBench(t *testing.T, pages map[string][2]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	gt := map[string]map[string]string{}
	for id, p := range pages {
		gt[id] = map[string]string{"articleBody": p[1], "url": "https://example.com/" + id}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(p[0]))
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, "html", id+".html.gz"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := json.Marshal(gt)
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunOnFixture(t *testing.T) {
	body := "The council voted on Tuesday to rebuild the old harbour bridge, which has been closed since the spring floods damaged two of its piers. "
	page := "<html><head><title>Bridge</title></head><body><article><h1>Bridge vote</h1>" +
		strings.Repeat("<p>"+body+"</p>", 4) + "</article></body></html>"
	truth := strings.TrimSpace(strings.Repeat(body+"\n", 4))
	dir := writeBench(t, map[string][2]string{
		"a": {page, truth},
		"b": {"<html><body></body></html>", "Some text that the extractor cannot find in an empty page."},
	})
	var out bytes.Buffer
	rep, err := Run(context.Background(), dir, &out)
	if err != nil {
		t.Fatal(err)
	}
	// Page a is extracted exactly (P 1, R 1); page b yields nothing, so it is
	// left out of the precision mean and adds recall 0.
	if rep.Pages != 2 || rep.Failed != 1 || rep.Precision != 1 || rep.Recall != 0.5 {
		t.Errorf("report = %+v, want 2 pages, 1 failed, P 1, R 0.5", rep)
	}
	sc := bufio.NewScanner(&out)
	var last string
	for sc.Scan() {
		last = sc.Text()
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(last), &m); err != nil {
		t.Fatalf("last line %q: %v", last, err)
	}
	for _, k := range []string{"pages", "precision", "recall", "f1", "pages_per_sec"} {
		if _, ok := m[k]; !ok {
			t.Errorf("last line %q lacks %q", last, k)
		}
	}
	if len(m) != 5 {
		t.Errorf("last line %q has %d keys, want 5", last, len(m))
	}
}

func TestRunMissingDir(t *testing.T) {
	if _, err := Run(context.Background(), filepath.Join(t.TempDir(), "nope"), &bytes.Buffer{}); err == nil {
		t.Error("Run on a missing directory: want error")
	}
}

func TestRunCancelled(t *testing.T) {
	dir := writeBench(t, map[string][2]string{"a": {"<p>x</p>", "x"}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, dir, &bytes.Buffer{}); err == nil {
		t.Error("Run with a cancelled context: want error")
	}
}
