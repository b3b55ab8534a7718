package insight

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// sharedData returns ../shared/data seen from the module root, skipping the
// test when it is absent (it must be present when CI=true).
func sharedData(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("evaluation data missing: %v", err)
		}
		t.Skipf("evaluation data absent: %v", err)
	}
	return dir
}

// corpusTexts loads every article text of the development corpora: the four
// clustering JSONL files and the extraction benchmark's article bodies.
func corpusTexts(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"gva-dev.jsonl", "uci-dev.jsonl", "allsides-dev.jsonl", "neus-dev.jsonl"} {
		path := filepath.Join(dir, "clustering", name)
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var d struct{ ID, Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				f.Close()
				t.Fatalf("parse %s: %v", path, err)
			}
			out[name+":"+d.ID] = d.Title + "\n\n" + d.Text
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
	}
	path := filepath.Join(dir, "article-extraction-benchmark", "ground-truth.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(b, &gt); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	for id, a := range gt {
		out["extraction:"+id] = a.ArticleBody
	}
	return out
}

// TestNoPanicOnCorpora runs the quote and entity extractors over every
// development article and reports each one on which either panics.
func TestNoPanicOnCorpora(t *testing.T) {
	texts := corpusTexts(t, sharedData(t))
	if len(texts) < 10000 {
		t.Fatalf("loaded %d articles, want the whole corpora", len(texts))
	}
	ids := make([]string, 0, len(texts))
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var panics []string
	for _, id := range ids {
		if msg := extractRecover(texts[id]); msg != "" {
			panics = append(panics, id+": "+msg)
		}
	}
	for _, p := range panics {
		t.Error(p)
	}
	if len(panics) > 0 {
		t.Errorf("extractors panicked on %d of %d articles", len(panics), len(texts))
	}
}

func extractRecover(text string) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	// one analysis serves both extractors (Entities and Quotes each run it)
	analyze(text).quotes()
	return ""
}
