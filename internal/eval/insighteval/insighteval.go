// Package insighteval scores the insight extractors against hand labels
// on real articles: entity precision and recall, quotation detection F1 and
// speaker attribution accuracy among detected quotations.
package insighteval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/dateline-news/dateline/internal/insight"
)

// Labels is the hand-annotation file: articles referenced by id only.
type Labels struct {
	Data     string         `json:"data"`
	Policy   string         `json:"policy"`
	Articles []LabelArticle `json:"articles"`
}

// LabelArticle holds one article's gold entities and quotations.
type LabelArticle struct {
	ID       string       `json:"id"`
	Entities []string     `json:"entities"` // alternatives separated by '|'
	Quotes   []LabelQuote `json:"quotes"`
}

// LabelQuote names a quotation by its first words and its speaker ("" when the text names none).
type LabelQuote struct {
	Start   string `json:"start"`
	Speaker string `json:"speaker"` // alternatives separated by '|'
}

// Report is the outcome of one evaluation run.
type Report struct {
	Articles        int     `json:"articles"`
	EntityPredicted int     `json:"entity_predicted"`
	EntityGold      int     `json:"entity_gold"`
	EntityPrecision float64 `json:"entity_precision"`
	EntityRecall    float64 `json:"entity_recall"`
	QuotePredicted  int     `json:"quote_predicted"`
	QuoteGold       int     `json:"quote_gold"`
	QuoteMatched    int     `json:"quote_matched"`
	QuotePrecision  float64 `json:"quote_precision"`
	QuoteRecall     float64 `json:"quote_recall"`
	QuoteF1         float64 `json:"quote_f1"`
	SpeakerCorrect  int     `json:"speaker_correct"`
	SpeakerAccuracy float64 `json:"speaker_accuracy"`
}

type document struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Run scores the labels in labelsPath against the articles in dataPath (one
// corpus or a comma-separated list; see loadTexts), writes one line per disagreement to w, and the report as one JSON line last.
func Run(ctx context.Context, labelsPath, dataPath string, w io.Writer) (Report, error) {
	var rep Report
	lb, err := os.ReadFile(labelsPath)
	if err != nil {
		return rep, fmt.Errorf("read labels: %w", err)
	}
	var labels Labels
	if err := json.Unmarshal(lb, &labels); err != nil {
		return rep, fmt.Errorf("parse labels %s: %w", labelsPath, err)
	}
	want := map[string]bool{}
	for _, a := range labels.Articles {
		want[a.ID] = true
	}
	texts, err := loadTexts(ctx, dataPath, want)
	if err != nil {
		return rep, err
	}
	entTP, entGoldHit := 0, 0
	for _, la := range labels.Articles {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		text, ok := texts[la.ID]
		if !ok {
			return rep, fmt.Errorf("labelled article %s not in %s", la.ID, dataPath)
		}
		rep.Articles++

		// entities
		pred := insight.Entities(text)
		rep.EntityPredicted += len(pred)
		rep.EntityGold += len(la.Entities)
		hit := make([]bool, len(la.Entities))
		for _, e := range pred {
			found := false
			for gi, g := range la.Entities {
				if matchEntity(e, g) {
					found, hit[gi] = true, true
				}
			}
			if found {
				entTP++
			} else {
				fmt.Fprintf(w, "%s entity false positive: %q (%s)\n", la.ID, e.Name, e.Kind)
			}
		}
		for gi, h := range hit {
			if h {
				entGoldHit++
			} else {
				fmt.Fprintf(w, "%s entity missed: %q\n", la.ID, la.Entities[gi])
			}
		}

		// quotations
		qs := insight.Quotes(text)
		rep.QuotePredicted += len(qs)
		rep.QuoteGold += len(la.Quotes)
		used := make([]bool, len(qs))
		for _, g := range la.Quotes {
			gk := norm(g.Start)
			mi := -1
			for qi, q := range qs {
				if !used[qi] && strings.Contains(norm(q.Text), gk) {
					mi = qi
					break
				}
			}
			if mi < 0 {
				fmt.Fprintf(w, "%s quote missed: %q\n", la.ID, g.Start)
				continue
			}
			used[mi] = true
			rep.QuoteMatched++
			if matchSpeaker(qs[mi].Speaker, g.Speaker) {
				rep.SpeakerCorrect++
			} else {
				fmt.Fprintf(w, "%s speaker wrong: %q got %q (%q) want %q\n", la.ID, g.Start, qs[mi].Speaker, qs[mi].SpeakerDesc, g.Speaker)
			}
		}
		for qi, q := range qs {
			if !used[qi] {
				fmt.Fprintf(w, "%s quote false positive: %q\n", la.ID, clip(q.Text, 60))
			}
		}
	}
	rep.EntityPrecision = ratio(entTP, rep.EntityPredicted)
	rep.EntityRecall = ratio(entGoldHit, rep.EntityGold)
	rep.QuotePrecision = ratio(rep.QuoteMatched, rep.QuotePredicted)
	rep.QuoteRecall = ratio(rep.QuoteMatched, rep.QuoteGold)
	if p, r := rep.QuotePrecision, rep.QuoteRecall; p+r > 0 {
		rep.QuoteF1 = 2 * p * r / (p + r)
	}
	rep.SpeakerAccuracy = ratio(rep.SpeakerCorrect, rep.QuoteMatched)
	b, err := json.Marshal(rep)
	if err != nil {
		return rep, fmt.Errorf("encode report: %w", err)
	}
	if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
		return rep, fmt.Errorf("write report: %w", err)
	}
	return rep, nil
}

// loadTexts reads the wanted article texts from dataPath, a comma-separated
// list of corpora: JSONL files of documents (id, text), the extraction
// benchmark's ground-truth.json (page id -> articleBody) and single text
// files such as the seeds, whose id is the file name without ".txt".
func loadTexts(ctx context.Context, dataPath string, want map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	for _, path := range strings.Split(dataPath, ",") {
		path = strings.TrimSpace(path)
		if path == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		switch {
		case strings.HasSuffix(path, ".jsonl"):
			err = loadJSONL(ctx, path, want, out)
		case strings.HasSuffix(path, ".json"):
			err = loadGroundTruth(path, want, out)
		case strings.HasSuffix(path, ".txt"):
			err = loadPlain(path, want, out)
		default:
			err = fmt.Errorf("data %s: want .jsonl, ground-truth .json or .txt", path)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadJSONL(ctx context.Context, path string, want map[string]bool, out map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open data: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var d document
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		if want[d.ID] {
			out[d.ID] = d.Text
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// loadGroundTruth reads the article-extraction benchmark's ground truth: an
// object from page id to the page's fields, of which articleBody is the text.
func loadGroundTruth(path string, want map[string]bool, out map[string]string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read data: %w", err)
	}
	var pages map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(b, &pages); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	for id, p := range pages {
		if want[id] {
			out[id] = p.ArticleBody
		}
	}
	return nil
}

func loadPlain(path string, want map[string]bool, out map[string]string) error {
	id := strings.TrimSuffix(filepath.Base(path), ".txt")
	if !want[id] {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read data: %w", err)
	}
	out[id] = string(b)
	return nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// norm lower-cases, unifies apostrophes and keeps letters and digits separated by single spaces.
func norm(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "’", "'"))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return strings.TrimPrefix(b.String(), "the ")
}

func matchName(pred, gold string) bool {
	p := norm(pred)
	for _, g := range strings.Split(gold, "|") {
		if norm(g) == p {
			return true
		}
	}
	return false
}

// matchEntity: the entity's name or one of the forms the text used for it is a gold alternative.
func matchEntity(e insight.Entity, gold string) bool {
	if matchName(e.Name, gold) {
		return true
	}
	for _, a := range e.Aliases {
		if matchName(a, gold) {
			return true
		}
	}
	return false
}

func matchSpeaker(pred, gold string) bool {
	if gold == "" {
		return pred == ""
	}
	return pred != "" && matchName(pred, gold)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
