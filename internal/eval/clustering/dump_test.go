package clustering

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline-news/dateline/internal/story"
)

// TestDump is a development aid: with DATELINE_DUMP=<dir> it writes, per dev
// set, one line per document (position, gold cluster, assigned story, whether
// new, score, reason, title), to compare runs exactly and to read the errors.
func TestDump(t *testing.T) {
	out := os.Getenv("DATELINE_DUMP")
	if out == "" {
		t.Skip("set DATELINE_DUMP to a directory to dump decisions")
	}
	dir := dataDir(t)
	for _, name := range []string{"gva-dev", "uci-dev"} {
		recs, err := load(filepath.Join(dir, name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(out, name+".tsv"))
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(f)
		c := story.New(story.DefaultConfig(), 1)
		for i, r := range recs {
			if err := context.Background().Err(); err != nil {
				t.Fatal(err)
			}
			a := c.Add(story.Doc{ID: int64(i + 1), Title: r.Title, Text: r.Text, Source: r.Source, Lang: r.Lang, Published: r.t})
			fmt.Fprintf(w, "%d\t%s\t%d\t%v\t%d\t%v\t%.4f\t%s\t%s\t%s\t%s\n", i+1, r.Cluster, a.Story, a.New, a.CopyOf, a.Merged,
				a.Score, a.Reason, r.t.Format("2006-01-02T15:04"), r.Source, strings.Join(strings.Fields(r.Title), " "))
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
