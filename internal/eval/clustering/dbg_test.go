package clustering

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/dateline-news/dateline/internal/story"
)

func TestDbgRoundup(t *testing.T) {
	if os.Getenv("DBG_RU") == "" {
		t.Skip()
	}
	cfg := story.DefaultConfig()
	json.Unmarshal([]byte(os.Getenv("DBG_RU")), &cfg)
	c := story.New(cfg, 1)
	for i, r := range roundupRecords() {
		a := c.Add(story.Doc{ID: int64(i + 1), Title: r.Title, Text: r.Text, Source: r.Source, Lang: "en", Published: r.t})
		t.Logf("%s -> %d new=%v %.3f %s merged=%v", r.Cluster, a.Story, a.New, a.Score, a.Reason, a.Merged)
	}
}
