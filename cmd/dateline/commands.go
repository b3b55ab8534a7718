package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dateline-news/dateline/internal/eval/clustering"
	"github.com/dateline-news/dateline/internal/eval/extraction"
	"github.com/dateline-news/dateline/internal/eval/insighteval"
	"github.com/dateline-news/dateline/internal/feed"
	"github.com/dateline-news/dateline/internal/ingest"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/story"
)

func feeds(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("feeds: want add, remove, list or import")
	}
	sub, args := args[0], args[1:]
	fs := newFlags("feeds " + sub)
	dsn := fs.String("database", defaultDatabase, "SQLite file path or postgres:// URL")
	name := fs.String("name", "", "outlet name for added feeds (default: the feed's host)")
	country := fs.String("country", "", "outlet country, ISO 3166 alpha-2")
	lang := fs.String("language", "", "outlet language, ISO 639-1")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()

	switch sub {
	case "add":
		if fs.NArg() == 0 {
			return errors.New("feeds add: give at least one feed URL")
		}
		var subs []feed.Subscription
		for _, raw := range fs.Args() {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("feeds add: %q is not an http(s) URL", raw)
			}
			n := *name
			if n == "" {
				n = strings.TrimPrefix(u.Hostname(), "www.")
			}
			subs = append(subs, feed.Subscription{FeedURL: u.String(), Name: n, HomeURL: u.Scheme + "://" + u.Host + "/",
				Country: strings.ToUpper(*country), Language: strings.ToLower(*lang)})
		}
		n, err := subscribe(ctx, st, subs)
		fmt.Fprintf(stdout, "added %d feed(s)\n", n)
		return err
	case "remove":
		if fs.NArg() == 0 {
			return errors.New("feeds remove: give at least one feed URL")
		}
		for _, u := range fs.Args() {
			if err := st.RemoveFeed(ctx, u); err != nil {
				return fmt.Errorf("remove %s: %w", u, err)
			}
			fmt.Fprintf(stdout, "removed %s\n", u)
		}
		return nil
	case "import":
		if fs.NArg() != 1 {
			return errors.New("feeds import: give one OPML file")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		subs, err := feed.ParseOPML(f)
		if err != nil {
			return fmt.Errorf("read %s: %w", fs.Arg(0), err)
		}
		n, err := subscribe(ctx, st, subs)
		fmt.Fprintf(stdout, "imported %d new feed(s) of %d in %s\n", n, len(subs), fs.Arg(0))
		return err
	case "list":
		list, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		return printFeeds(stdout, list, time.Now())
	default:
		return fmt.Errorf("feeds: unknown subcommand %q (want add, remove, list or import)", sub)
	}
}

func printFeeds(w io.Writer, list []model.Feed, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTLET\tCOUNTRY\tLANG\tFEED\tLAST POLL\tSTATUS\tARTICLES\tLAST ERROR")
	for _, f := range list {
		last := "never"
		if !f.LastPoll.IsZero() {
			last = f.LastPoll.UTC().Format(time.RFC3339)
		}
		status := "ok"
		switch {
		case !f.Retired.IsZero():
			status = "retired " + f.Retired.UTC().Format(time.DateOnly)
		case f.LastPoll.IsZero():
			status = "pending"
		case f.LastError != "":
			status = fmt.Sprintf("failing (%d)", f.Failures)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", f.Source.Name, f.Source.Country, f.Source.Language,
			f.URL, last, status, f.Articles, f.LastError)
	}
	return tw.Flush()
}

func importCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("import")
	dsn := fs.String("database", defaultDatabase, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import: give one JSONL file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := ingest.Import(ctx, st, f, time.Now())
	if err != nil {
		return fmt.Errorf("import %s: %w", fs.Arg(0), err)
	}
	clustered, err := clusterAll(ctx, st)
	fmt.Fprintf(stdout, "read %d, added %d, already stored %d, clustered %d\n", res.Read, res.Added, res.Skipped, clustered)
	return err
}

// clusterAll groups every waiting article, holding the leadership so that a
// running server on the same PostgreSQL database does not cluster at once.
func clusterAll(ctx context.Context, st store.Store) (int, error) {
	release, ok, err := st.TryLeader(ctx, "cluster")
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errors.New("another process is clustering this database; it will group the imported articles")
	}
	defer release()
	g, err := ingest.NewGrouper(ctx, st, nil, nil)
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		n, err := g.Step(ctx, 1000)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

func evalCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("eval: want extract, cluster or insight")
	}
	sub, args := args[0], args[1:]
	fs := newFlags("eval " + sub)
	switch sub {
	case "extract":
		dir := fs.String("dir", "", "benchmark folder with ground-truth.json and html/")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *dir == "" {
			return errors.New("eval extract: --dir is required")
		}
		_, err := extraction.Run(ctx, *dir, stdout)
		return err
	case "cluster":
		in := fs.String("input", "", "JSONL file of documents with gold clusters")
		level := fs.String("level", "event", "what to score: event or storyline")
		config := fs.String("config", "", `JSON overrides of the clustering configuration, e.g. {"Event":{"Threshold":0.2}}`)
		slice := fs.String("slice", "", "score only the gold clusters whose hash is k modulo m (k/m), to tune on some and check on others")
		dump := fs.String("dump", "", "write one line per document's decision to this file")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *in == "" {
			return errors.New("eval cluster: --input is required")
		}
		opt := clustering.Options{Input: *in, Config: story.DefaultTrackerConfig(), Slice: *slice}
		var err error
		if opt.Level, err = clustering.ParseLevel(*level); err != nil {
			return fmt.Errorf("eval cluster: %w", err)
		}
		if *config != "" {
			if err := json.Unmarshal([]byte(*config), &opt.Config); err != nil {
				return fmt.Errorf("eval cluster: --config: %w", err)
			}
		}
		if *dump != "" {
			f, err := os.Create(*dump)
			if err != nil {
				return fmt.Errorf("eval cluster: %w", err)
			}
			defer f.Close()
			bw := bufio.NewWriter(f)
			defer bw.Flush()
			opt.Dump = bw
		}
		_, err = clustering.RunOptions(ctx, opt, stdout)
		return err
	case "insight":
		labels := fs.String("labels", "testdata/insight/gva-dev-labels.json", "hand labels (entities, quotes, speakers)")
		data := fs.String("data", "", "corpora the labels refer to by id: comma-separated JSONL, ground-truth.json or .txt files")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *data == "" {
			return errors.New("eval insight: --data is required")
		}
		_, err := insighteval.Run(ctx, *labels, *data, stdout)
		return err
	default:
		return fmt.Errorf("eval: unknown subcommand %q", sub)
	}
}
