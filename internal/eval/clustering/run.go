package clustering

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/story"
)

// Report is the outcome of one evaluation run; it is printed as JSON.
type Report struct {
	Docs              int     `json:"docs"`
	GoldClusters      int     `json:"gold_clusters"`
	Clusters          int     `json:"clusters"`
	PairwisePrecision float64 `json:"pairwise_precision"`
	PairwiseRecall    float64 `json:"pairwise_recall"`
	PairwiseF1        float64 `json:"pairwise_f1"`
	BCubedPrecision   float64 `json:"bcubed_precision"`
	BCubedRecall      float64 `json:"bcubed_recall"`
	BCubedF1          float64 `json:"bcubed_f1"`
	DocsPerSec        float64 `json:"docs_per_sec"`
	PeakHeapMB        float64 `json:"peak_heap_mb"`
}

type record struct {
	ID        string `json:"id"`
	Cluster   string `json:"cluster"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Published string `json:"published"`
	Source    string `json:"source"`
	Lang      string `json:"lang"`

	t time.Time
}

// Level is what a run scores: events (one happening; what the front page
// calls a story) or storylines (the events that belong together).
type Level string

const (
	LevelEvent     Level = "event"
	LevelStoryline Level = "storyline"
)

// ParseLevel accepts "event" (also "") and "storyline".
func ParseLevel(s string) (Level, error) {
	switch s {
	case "", "event", "events":
		return LevelEvent, nil
	case "storyline", "storylines":
		return LevelStoryline, nil
	}
	return "", fmt.Errorf("unknown level %q: want event or storyline", s)
}

// Run streams the documents of the JSONL file input, in published order (ties
// keep file order), through the production story.Tracker, scores the events
// or the storylines against the gold cluster field and writes the report as
// the last line of w.
func Run(ctx context.Context, input string, level Level, w io.Writer) (Report, error) {
	return RunConfig(ctx, input, level, story.DefaultTrackerConfig(), w)
}

// RunConfig is Run with an explicit configuration, for tuning.
func RunConfig(ctx context.Context, input string, level Level, cfg story.TrackerConfig, w io.Writer) (Report, error) {
	return RunOptions(ctx, Options{Input: input, Level: level, Config: cfg}, w)
}

// Options is a tuning run: a configuration, and optionally a slice of the
// gold clusters (to tune on some and check on the rest) and a decision dump.
type Options struct {
	Input  string
	Level  Level
	Config story.TrackerConfig
	// Slice "k/m" keeps the gold clusters whose FNV-1a hash is k modulo m.
	Slice string
	// Dump, when set, receives one tab-separated line per document: position,
	// gold cluster, event, storyline, new, copy-of, score, reason, time,
	// source, title.
	Dump io.Writer
}

// RunOptions runs one evaluation as opt says.
func RunOptions(ctx context.Context, opt Options, w io.Writer) (Report, error) {
	recs, err := load(opt.Input)
	if err != nil {
		return Report{}, err
	}
	if opt.Slice != "" {
		var k, m uint32
		if n, _ := fmt.Sscanf(opt.Slice, "%d/%d", &k, &m); n != 2 || m == 0 || k >= m {
			return Report{}, fmt.Errorf("slice %q: want k/m with 0 <= k < m", opt.Slice)
		}
		recs = slices.DeleteFunc(recs, func(r record) bool {
			h := fnv.New32a()
			h.Write([]byte(r.Cluster))
			return h.Sum32()%m != k
		})
	}
	rep, err := runDocs(ctx, recs, opt.Level, opt.Config, opt.Dump, w)
	if err != nil {
		return rep, fmt.Errorf("evaluate %s: %w", opt.Input, err)
	}
	return rep, nil
}

// runDocs clusters recs (already in published order) and scores the result.
func runDocs(ctx context.Context, recs []record, level Level, cfg story.TrackerConfig, dump io.Writer, w io.Writer) (Report, error) {
	docs := make([]story.Doc, len(recs))
	for i, r := range recs {
		docs[i] = story.Doc{
			ID: int64(i + 1), Title: r.Title, Text: r.Text, Source: r.Source, Lang: r.Lang, Published: r.t,
		}
	}

	var peak uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	sample()
	c := story.NewTracker(cfg, 1, 1)
	events := make([]int64, len(docs))
	lines := map[int64]int64{} // event -> storyline, as last reported
	eventRedirect := map[int64]int64{}
	lineRedirect := map[int64]int64{}
	start := time.Now()
	var paused time.Duration
	for i, d := range docs {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return Report{}, err
			}
			if i%2048 == 0 {
				t := time.Now()
				sample()
				paused += time.Since(t)
			}
		}
		a := c.Add(d)
		events[i] = a.Story
		lines[a.Story] = a.Storyline
		for _, m := range a.Merged {
			eventRedirect[m] = a.Story
		}
		for _, m := range a.StorylinesMerged {
			lineRedirect[m] = a.Storyline
		}
		if dump != nil {
			r := recs[i]
			fmt.Fprintf(dump, "%d\t%s\t%d\t%d\t%v\t%d\t%.4f\t%s\t%s\t%s\t%s\n", i+1, r.Cluster, a.Story, a.Storyline, a.New,
				a.CopyOf, a.Score, a.Reason, r.t.Format("2006-01-02T15:04"), r.Source, strings.Join(strings.Fields(r.Title), " "))
		}
	}
	elapsed := time.Since(start) - paused
	sample()

	gold := make([]string, len(recs))
	labels := make([]string, len(recs))
	goldSet := map[string]bool{}
	predSet := map[string]bool{}
	for i, r := range recs {
		gold[i] = r.Cluster
		goldSet[r.Cluster] = true
		id := resolve(eventRedirect, events[i])
		if level == LevelStoryline {
			id = resolve(lineRedirect, lines[id])
		}
		labels[i] = strconv.FormatInt(id, 10)
		predSet[labels[i]] = true
	}
	s := Score(gold, labels)
	rep := Report{
		Docs: len(recs), GoldClusters: len(goldSet), Clusters: len(predSet),
		PairwisePrecision: s.PairwiseP, PairwiseRecall: s.PairwiseR, PairwiseF1: s.PairwiseF1,
		BCubedPrecision: s.BCubedP, BCubedRecall: s.BCubedR, BCubedF1: s.BCubedF1,
		PeakHeapMB: float64(peak) / (1 << 20),
	}
	if elapsed > 0 {
		rep.DocsPerSec = float64(len(docs)) / elapsed.Seconds()
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return rep, fmt.Errorf("encode report: %w", err)
	}
	if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
		return rep, fmt.Errorf("write report: %w", err)
	}
	return rep, nil
}

// resolve follows merge redirects to the surviving story.
func resolve(redirect map[int64]int64, id int64) int64 {
	for i := 0; i < 1000; i++ {
		n, ok := redirect[id]
		if !ok {
			return id
		}
		id = n
	}
	return id
}

func load(input string) ([]record, error) {
	f, err := os.Open(input)
	if err != nil {
		return nil, fmt.Errorf("open eval data: %w", err)
	}
	defer f.Close()
	var recs []record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("parse %s line %d: %w", input, line, err)
		}
		if r.t, err = time.Parse(time.RFC3339, r.Published); err != nil {
			if r.t, err = time.Parse("2006-01-02", r.Published); err != nil {
				return nil, fmt.Errorf("parse %s line %d: published %q: %w", input, line, r.Published, err)
			}
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", input, err)
	}
	sortRecords(recs)
	return recs, nil
}

func sortRecords(recs []record) {
	slices.SortStableFunc(recs, func(a, b record) int { return a.t.Compare(b.t) })
}

func defaultConfig() story.TrackerConfig { return story.DefaultTrackerConfig() }
