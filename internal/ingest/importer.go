package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/canon"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/sanitize"
	"github.com/dateline-news/dateline/internal/store"
)

// Record is one document of a recorded corpus (the JSONL format of
// shared/data/clustering). Its gold "cluster" field is deliberately absent:
// import never sees the answer.
type Record struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Published string `json:"published"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Lang      string `json:"lang"`
}

// ImportResult counts what an import did.
type ImportResult struct {
	Read, Added, Skipped int
}

// Import stores the documents of a JSONL corpus as articles, through the same
// storage path as polled articles minus fetching. Importing the same file
// twice adds nothing: each document is keyed by its URL (or, without one, a
// URL derived from its id) and by its id as GUID.
func Import(ctx context.Context, st store.Store, r io.Reader, now time.Time) (ImportResult, error) {
	var res ImportResult
	sources := map[string]model.Source{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return res, fmt.Errorf("line %d: %w", line, err)
		}
		res.Read++
		name := sourceName(rec.Source)
		if name == "" {
			name = hostOf(rec.URL)
		}
		if name == "" {
			name = "Unknown"
		}
		src, ok := sources[name]
		if !ok {
			var err error
			src, err = st.UpsertSource(ctx, model.Source{Name: name, HomeURL: homeOf(rec.URL), Language: rec.Lang})
			if err != nil {
				return res, fmt.Errorf("line %d: store source %q: %w", line, name, err)
			}
			sources[name] = src
		}
		u, err := canon.URL(rec.URL)
		if err != nil || rec.URL == "" {
			u = "urn:dateline:import:" + url.PathEscape(rec.ID)
		}
		pub, err := time.Parse(time.RFC3339, rec.Published)
		if err != nil {
			if pub, err = time.Parse("2006-01-02", rec.Published); err != nil {
				pub = now
			}
		}
		a := model.Article{
			SourceID: src.ID, URL: u, GUID: capGUID(rec.ID), Title: strings.TrimSpace(rec.Title),
			Published: clampPublished(pub.UTC(), now), Fetched: now, Text: rec.Text, HTML: paragraphs(rec.Text),
			Language: rec.Lang, SiteName: name,
		}
		capArticle(&a)
		created, err := st.InsertArticle(ctx, &a)
		if err != nil {
			return res, fmt.Errorf("line %d: store article: %w", line, err)
		}
		if created {
			res.Added++
		} else {
			res.Skipped++
		}
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("read line %d: %w", line+1, err)
	}
	return res, nil
}

// paragraphs renders plain text as sanitized HTML paragraphs.
func paragraphs(text string) string {
	var b strings.Builder
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>")
			b.WriteString(html.EscapeString(p))
			b.WriteString("</p>")
		}
	}
	return sanitize.HTML(b.String())
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

func homeOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/"
}

// sourceName is a recorded outlet name, a host with its default port
// ("example.com:80") being the same outlet as the bare host.
func sourceName(s string) string {
	s = strings.TrimSpace(s)
	for _, port := range []string{":80", ":443"} {
		if h, ok := strings.CutSuffix(s, port); ok && h != "" && !strings.ContainsAny(h, " /:") {
			return h
		}
	}
	return s
}
