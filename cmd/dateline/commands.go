package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dateline-news/dateline/internal/eval/clustering"
	"github.com/dateline-news/dateline/internal/eval/extraction"
	"github.com/dateline-news/dateline/internal/eval/insighteval"
	"github.com/dateline-news/dateline/internal/feedadmin"
	"github.com/dateline-news/dateline/internal/feedhealth"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/ingest"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/story"
)

// feedSubs are the feeds subcommands, for the error that lists them.
const feedSubs = "list, add, remove, import, export, pause, resume, set or rename"

func feeds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("feeds: want " + feedSubs)
	}
	sub, args := args[0], args[1:]
	fs := newFlags("feeds " + sub)
	dsn := fs.String("database", defaultDatabase, "SQLite file path or postgres:// URL")
	var (
		name, country, lang, category *string
		allowPrivate, check           *bool
	)
	name = new(string)
	switch sub {
	case "add", "set":
		name = fs.String("name", "", "outlet name (default: the feed's host)")
	}
	switch sub {
	case "add", "import", "set":
		country = fs.String("country", "", "outlet country, ISO 3166 alpha-2")
		lang = fs.String("language", "", "outlet language, ISO 639-1")
		category = fs.String("category", "", "outlet category, e.g. science")
	}
	switch sub {
	case "add", "import":
		check = fs.Bool("check", true, "fetch each URL first: find the feed a web page advertises, refuse pages without one")
		allowPrivate = fs.Bool("allow-private-networks", false, "let the check reach private, loopback and link-local addresses")
	case "list", "remove", "export", "pause", "resume", "set", "rename":
	default:
		return fmt.Errorf("feeds: unknown subcommand %q (want %s)", sub, feedSubs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	// Arguments are checked before the database is opened, so a mistake
	// never leaves a new empty database behind.
	switch sub {
	case "add", "remove", "pause", "resume":
		if fs.NArg() == 0 {
			return fmt.Errorf("feeds %s: give at least one feed URL", sub)
		}
	case "import":
		if fs.NArg() != 1 {
			return errors.New("feeds import: give one OPML file")
		}
	case "set":
		if fs.NArg() != 1 {
			return errors.New("feeds set: give one feed URL")
		}
	case "rename":
		if fs.NArg() != 2 || strings.TrimSpace(fs.Arg(1)) == "" {
			return errors.New("feeds rename: give a feed URL and the outlet's new name")
		}
	case "list", "export":
		if fs.NArg() != 0 {
			return fmt.Errorf("feeds %s: takes no arguments (got %q)", sub, fs.Args())
		}
	}
	var reqs []feedadmin.Request
	if sub == "add" {
		for _, raw := range fs.Args() {
			r, err := feedadmin.Validate(feedadmin.Request{URL: raw, Name: *name, Country: *country, Language: *lang, Category: *category})
			if err != nil {
				return fmt.Errorf("feeds add: %w", err)
			}
			reqs = append(reqs, r)
		}
	}
	var opml *os.File
	if sub == "import" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("feeds import: %w", err)
		}
		defer f.Close()
		opml = f
	}
	var get feedadmin.Getter
	if check != nil && *check {
		opts := fetch.DefaultOptions()
		opts.AllowPrivate = *allowPrivate
		get = fetch.New(opts)
	}

	var st store.Store
	var err error
	if sub == "add" || sub == "import" {
		st, err = openStore(ctx, *dsn)
	} else {
		st, err = openExisting(ctx, *dsn)
	}
	if err != nil {
		return err
	}
	defer st.Close()

	switch sub {
	case "add":
		results := feedadmin.AddAll(ctx, st, get, reqs, 4, 0)
		for _, r := range results {
			detail := "subscribed to " + r.Added.Feed.URL
			if r.Added.Feed.URL == "" {
				detail = ""
			}
			audit(ctx, st, "add", r.Request.URL, detail, r.Err)
		}
		return reportAdded(stdout, stderr, "added", results, fs.NArg())
	case "import":
		results, err := feedadmin.ImportOPML(ctx, st, get, opml, 0)
		if err != nil {
			audit(ctx, st, "import", fs.Arg(0), "", err)
			return fmt.Errorf("read %s: %w", fs.Arg(0), err)
		}
		audit(ctx, st, "import", fs.Arg(0), fmt.Sprintf("%d feeds in the file", len(results)), nil)
		// Flags given on the command line override the file's outline attributes.
		if *country != "" || *lang != "" || *category != "" {
			for _, r := range results {
				if r.Err == nil {
					if _, err := feedadmin.Update(ctx, st, r.Added.Feed.URL, changeFrom(fs, *name, *country, *lang, *category)); err != nil {
						return err
					}
				}
			}
		}
		return reportAdded(stdout, stderr, "imported", results, len(results))
	case "remove", "pause", "resume":
		for _, u := range fs.Args() {
			var err error
			switch sub {
			case "remove":
				err = feedadmin.Remove(ctx, st, u)
			case "pause":
				err = feedadmin.Pause(ctx, st, u, time.Now())
			case "resume":
				err = feedadmin.Resume(ctx, st, u)
			}
			audit(ctx, st, sub, u, sub+"d", err)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("feeds %s: no feed %s (dateline feeds list shows them)", sub, u)
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", sub, u, err)
			}
			fmt.Fprintf(stdout, "%sd %s\n", sub, u)
		}
		return nil
	case "set":
		ch := changeFrom(fs, *name, *country, *lang, *category)
		if ch == (feedadmin.Change{}) {
			return errors.New("feeds set: give --name, --country, --language or --category")
		}
		src, err := feedadmin.Update(ctx, st, fs.Arg(0), ch)
		audit(ctx, st, "update", fs.Arg(0), "outlet "+src.Name, err)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("feeds set: no feed %s (dateline feeds list shows them)", fs.Arg(0))
		}
		if err != nil {
			return fmt.Errorf("feeds set: %w", err)
		}
		fmt.Fprintf(stdout, "outlet %s: country %q, language %q, category %q\n", src.Name, src.Country, src.Language, src.Category)
		return nil
	case "rename":
		newName := strings.TrimSpace(fs.Arg(1))
		src, err := feedadmin.Update(ctx, st, fs.Arg(0), feedadmin.Change{Name: &newName})
		audit(ctx, st, "update", fs.Arg(0), "outlet "+src.Name, err)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("feeds rename: no feed %s (dateline feeds list shows them)", fs.Arg(0))
		}
		if err != nil {
			return fmt.Errorf("feeds rename: %w", err)
		}
		fmt.Fprintf(stdout, "outlet renamed %s\n", src.Name)
		return nil
	case "export":
		return feedadmin.ExportOPML(ctx, st, stdout)
	default: // list
		list, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		return printFeeds(stdout, list, time.Now())
	}
}

// audit records a command-line action on subscriptions in the audit table
// (as /admin/feeds does), under the name of the user running the command.
func audit(ctx context.Context, st store.Store, action, target, detail string, err error) {
	actor := "cli"
	if u, uerr := user.Current(); uerr == nil && u.Username != "" {
		actor += ":" + u.Username
	}
	if err != nil {
		detail = "refused: " + err.Error()
	}
	// A failure to record is reported but does not undo the action.
	if aerr := st.AddAudit(context.WithoutCancel(ctx), model.AuditEntry{At: time.Now(), Actor: actor, Action: action, Target: target, Detail: detail}); aerr != nil {
		fmt.Fprintln(os.Stderr, "dateline: could not record the action in the audit log:", aerr)
	}
}

// changeFrom turns the flags given on the command line into a change:
// a flag not given leaves its field as it is.
func changeFrom(fs *flag.FlagSet, name, country, lang, category string) feedadmin.Change {
	var ch feedadmin.Change
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name":
			ch.Name = &name
		case "country":
			ch.Country = &country
		case "language":
			ch.Language = &lang
		case "category":
			ch.Category = &category
		}
	})
	return ch
}

// reportAdded prints what feeds add or import did, one line per feed that
// needs a word, and fails when any entry failed.
func reportAdded(stdout, stderr io.Writer, verb string, results []feedadmin.Result, of int) error {
	n, failed := 0, 0
	var warned []string // causes of the warnings, when there are too many to list
	for _, r := range results {
		switch {
		case r.Err != nil:
			failed++
			fmt.Fprintf(stderr, "%s: %v\n", r.Request.URL, r.Err)
		case r.Added.FoundOn != "":
			fmt.Fprintf(stdout, "%s: subscribed to the feed it advertises, %s\n", r.Added.FoundOn, r.Added.Feed.URL)
		}
		if r.Err == nil && r.Added.Warning != "" {
			if len(results) <= 5 {
				fmt.Fprintf(stdout, "%s: %s\n", r.Added.Feed.URL, r.Added.Warning)
			}
			warned = append(warned, feedhealth.Cause(r.Added.Warning, 0))
		}
		if r.Err == nil && r.Added.Created {
			n++
		}
	}
	if len(warned) > 0 && len(results) > 5 {
		fmt.Fprintf(stdout, "%d feed(s) could not be checked now (%s) and were subscribed as given; dateline feeds list and /sources show how their polls go\n",
			len(warned), feedhealth.OfRound(0, warned).CausesText())
	}
	if verb == "imported" {
		fmt.Fprintf(stdout, "imported %d new feed(s) of %d\n", n, of)
	} else {
		fmt.Fprintf(stdout, "added %d feed(s)\n", n)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d feed(s) not subscribed", failed, len(results))
	}
	return nil
}

func printFeeds(w io.Writer, list []model.Feed, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTLET\tCOUNTRY\tLANG\tCATEGORY\tFEED\tLAST POLL\tNEXT POLL\tSTATUS\tARTICLES\tLAST ERROR")
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, f := range list {
		next := stamp(f.NextPoll)
		switch {
		case f.Paused():
			next = "paused"
		case !f.NextPoll.After(now):
			next = "due"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", f.Source.Name, f.Source.Country, f.Source.Language,
			f.Source.Category, f.URL, stamp(f.LastPoll), next, feedhealth.Of(f).Label(), f.Articles, f.LastError)
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
		return fmt.Errorf("import: give one JSONL file (got %d arguments)", fs.NArg())
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("import: %w", err)
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
	clustered, led, err := clusterAll(ctx, st)
	fmt.Fprintf(stdout, "read %d, added %d, already stored %d, clustered %d\n", res.Read, res.Added, res.Skipped, clustered)
	if !led && err == nil {
		fmt.Fprintln(stdout, "another process (a running server) is clustering this database: it groups the imported articles")
	}
	return err
}

// clusterAll groups every waiting article while holding the leadership, so
// that a running server on the same database does not cluster at once.
// led=false: another process leads; the articles stay for it to cluster.
func clusterAll(ctx context.Context, st store.Store) (clustered int, led bool, err error) {
	l, ok, err := st.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		return 0, false, err
	}
	defer l.Release()
	work, stop := l.Context(ctx)
	defer stop()
	g, err := ingest.NewGrouper(work, st, nil, nil)
	if err != nil {
		return 0, true, err
	}
	g.Epoch = l.Epoch
	for {
		n, err := g.Step(work, 1000)
		clustered += n
		if errors.Is(context.Cause(work), store.ErrFenced) || errors.Is(err, store.ErrFenced) {
			return clustered, true, fmt.Errorf("lost the clustering leadership after %d articles; the next leader clusters the rest: %w", clustered, store.ErrFenced)
		}
		if err != nil || n == 0 {
			return clustered, true, err
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
