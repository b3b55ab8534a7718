package clustering

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline-news/dateline/internal/story"
)

// TestTune is a development aid: DATELINE_TUNE holds one JSON object of Config
// overrides per line; each is run on every dev set and logged.
func TestTune(t *testing.T) {
	grid := os.Getenv("DATELINE_TUNE")
	if grid == "" {
		t.Skip("set DATELINE_TUNE to tune")
	}
	dir := dataDir(t)
	for _, line := range strings.Split(grid, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		cfg := story.DefaultConfig()
		if err := json.Unmarshal([]byte(line), &cfg); err != nil {
			t.Fatal(err)
		}
		var out []string
		sets := []string{"gva-dev.jsonl", "uci-dev.jsonl", "roundup"}
		if v := os.Getenv("DATELINE_TUNE_SETS"); v != "" {
			sets = strings.Fields(v)
		}
		for _, f := range sets {
			var r Report
			var err error
			if f == "roundup" {
				r, err = runDocs(context.Background(), roundupRecords(), cfg, io.Discard)
			} else {
				r, err = RunConfig(context.Background(), filepath.Join(dir, f), cfg, io.Discard)
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f[:3]+" b="+f3(r.BCubedF1)+" (P"+f3(r.BCubedPrecision)+" R"+f3(r.BCubedRecall)+") pw="+f3(r.PairwiseF1))
		}
		t.Logf("%s\n\t%s", line, strings.Join(out, "  "))
	}
}

func f3(x float64) string {
	b, _ := json.Marshal(float64(int(x*10000+0.5)) / 10000)
	return string(b)
}
