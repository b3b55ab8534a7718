package extraction

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/dateline-news/dateline/internal/extract"
)

// Report is the outcome of one benchmark run.
type Report struct {
	Pages       int     `json:"pages"`
	Precision   float64 `json:"precision"`
	Recall      float64 `json:"recall"`
	F1          float64 `json:"f1"`
	PagesPerSec float64 `json:"pages_per_sec"`
	Accuracy    float64 `json:"-"` // share of pages whose tokens match exactly
	Failed      int     `json:"-"` // pages the extractor returned an error for (scored as empty)
}

// Doc is one benchmark page: its id, original URL, true article body and HTML.
type Doc struct {
	ID, URL, Truth string
	HTML           []byte // decompressed page
}

// Load reads dir/ground-truth.json and the matching dir/html/<id>.html.gz
// files, sorted by id so runs are reproducible.
func Load(dir string) ([]Doc, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("read ground truth: %w", err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("parse ground truth: %w", err)
	}
	docs := make([]Doc, 0, len(gt))
	for id, v := range gt {
		page, err := readGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("read page %s: %w", id, err)
		}
		docs = append(docs, Doc{ID: id, URL: v.URL, Truth: v.ArticleBody, HTML: page})
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	return docs, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// Run extracts every benchmark page in dir with the production extractor, one
// page at a time, scores the article bodies and writes a summary to w. The last
// line written is a JSON object with pages, precision, recall, f1 and
// pages_per_sec (pages divided by the wall time spent inside extract.Extract).
func Run(ctx context.Context, dir string, w io.Writer) (Report, error) {
	docs, err := Load(dir)
	if err != nil {
		return Report{}, err
	}
	if len(docs) == 0 {
		return Report{}, fmt.Errorf("no benchmark pages in %s", dir)
	}
	pairs := make([]Pair, len(docs))
	var failed int
	var spent time.Duration
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("extraction benchmark: %w", err)
		}
		start := time.Now()
		res, err := extract.Extract(d.HTML, d.URL)
		spent += time.Since(start)
		if err != nil {
			failed++
			fmt.Fprintf(w, "extract %s: %v\n", d.ID, err)
		}
		pairs[i] = Pair{Truth: d.Truth, Pred: res.Text}
	}
	s := Score(pairs)
	rep := Report{
		Pages:       len(docs),
		Precision:   s.Precision,
		Recall:      s.Recall,
		F1:          s.F1,
		Accuracy:    s.Accuracy,
		Failed:      failed,
		PagesPerSec: float64(len(docs)) / spent.Seconds(),
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "article extraction benchmark: %s\n", dir)
	fmt.Fprintf(&b, "pages      %d (extractor errors: %d)\n", rep.Pages, rep.Failed)
	fmt.Fprintf(&b, "precision  %.4f\nrecall     %.4f\nF1         %.4f\naccuracy   %.4f\n",
		rep.Precision, rep.Recall, rep.F1, rep.Accuracy)
	fmt.Fprintf(&b, "speed      %.1f pages/s (%.2fs extracting, one goroutine)\n", rep.PagesPerSec, spent.Seconds())
	line, err := json.Marshal(rep)
	if err != nil {
		return rep, fmt.Errorf("encode report: %w", err)
	}
	b.Write(line)
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return rep, fmt.Errorf("write report: %w", err)
	}
	return rep, nil
}
