package clustering

import (
	"os"
	"path/filepath"
	"testing"
)

// dataDir finds /work/shared/data/clustering relative to the repository root
// (the directory holding go.mod). It skips when the data is absent, unless
// CI=true, where absence is a failure.
func dataDir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Fatal("go.mod not found above " + wd)
		}
		root = parent
	}
	dir := filepath.Join(root, "..", "shared", "data", "clustering")
	if _, err := os.Stat(filepath.Join(dir, "gva-dev.jsonl")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("evaluation data missing in CI: %v", err)
		}
		t.Skipf("evaluation data absent: %v", err)
	}
	return dir
}
